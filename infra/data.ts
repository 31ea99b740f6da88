/**
 * The data: the customer-managed key, the table (from the one key declaration), the append-only audit
 * table, the two HMAC secrets, and what each function may do with them.
 */
import { RemovalPolicy, type Stack } from "aws-cdk-lib";
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { auditTableDefinition, DELETABLE, tableDefinition } from "../shared/adapters/dynamodb/keys.ts";
import type { FunctionName } from "../shared/http/routes.ts";
import type { ElevvaktFunction } from "./function.ts";
import type { JobName } from "./jobs.ts";

/** Every function that reaches the store, by its name in the stack. */
export type StoreUser = FunctionName | JobName | "web" | "worker";

/**
 * What the store does with the table, and nothing more: no Scan, no BatchWriteItem; and on the audit
 * table PutItem only, so no role can change or delete an entry.
 */
const TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem"];

/**
 * What each function deletes, by partition-key prefix: every API function frees an Idempotency-Key
 * after a server error; whatever resolves, reopens or moves a case moves its scope pointers; a
 * school's absence report takes back a pupil's absence. Nothing else is ever deleted.
 */
const DELETES: Record<StoreUser, string[]> = {
  admin: [DELETABLE.idempotency],
  register: [DELETABLE.idempotency, DELETABLE.caseScope],
  schools: [DELETABLE.idempotency, DELETABLE.caseScope, DELETABLE.pupilAbsence],
  pupils: [DELETABLE.idempotency],
  cases: [DELETABLE.idempotency, DELETABLE.caseScope],
  docs: [],
  morning: [],
  dispatcher: [],
  worker: [DELETABLE.caseScope],
  // Sign-out ends the session; a person's work is the routes' own (the web app runs their handlers):
  // resolving cases moves their scope pointers, a day's absence report takes back earlier absence.
  web: [DELETABLE.session, DELETABLE.caseScope, DELETABLE.pupilAbsence],
};

export class Data {
  readonly key: Key;
  readonly table: TableV2;
  readonly auditTable: TableV2;
  /** Keys personnummer into the table's lookup items with a keyed hash (never the number itself). */
  readonly pepper: Secret;
  /** Keys are stored as an HMAC with this secret (SPEC §1): whoever can write the table but cannot read it makes no working key. */
  readonly keyHash: Secret;

  constructor(stack: Stack) {
    this.key = new Key(stack, "DataKey", {
      description: "Elevvakt: pupils' data at rest (table, logs, secrets)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const key = this.key;

    const d = tableDefinition;
    this.table = new TableV2(stack, "Table", {
      partitionKey: { name: d.partitionKey, type: AttributeType.STRING },
      sortKey: { name: d.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: d.timeToLiveAttribute,
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: d.indexes.map((i) => ({
        indexName: i.indexName,
        partitionKey: { name: i.partitionKey, type: AttributeType.STRING },
        sortKey: { name: i.sortKey, type: AttributeType.STRING },
      })),
    });

    // The audit trail: its own table, to which the functions may only append (SPEC: each read audited).
    this.auditTable = new TableV2(stack, "AuditTable", {
      partitionKey: { name: auditTableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: auditTableDefinition.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.pepper = new Secret(stack, "PnrPepper", {
      description: "Elevvakt: HMAC key for personnummer lookups",
      encryptionKey: key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    this.keyHash = new Secret(stack, "KeyHashSecret", {
      description: "Elevvakt: HMAC key of the stored API keys",
      encryptionKey: key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    // CloudWatch Logs encrypts every log group with the data key; CloudWatch alarms publish to the encrypted operator topic.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        conditions: {
          ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${stack.partition}:logs:${stack.region}:${stack.account}:*` },
        },
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": stack.account } },
      }),
    );
  }

  /** What a function may do with the store: the table's operations, its own deletes, appends to the trail, the key. */
  grantStore(fn: ElevvaktFunction, name: StoreUser): void {
    this.table.grant(fn, ...TABLE_ACTIONS);
    // Deletes only of what the function's code deletes, by the partition key's prefix.
    if (DELETES[name].length) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ["dynamodb:DeleteItem"],
          resources: [this.table.tableArn],
          conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": DELETES[name].map((p) => `${p}*`) } },
        }),
      );
    }
    // Append-only for all; the trail is read only where a guardian's request is answered (GET /v1/pupils/{id}/audit).
    this.auditTable.grant(fn, "dynamodb:PutItem", ...(name === "pupils" || name === "web" ? ["dynamodb:Query"] : []));
    this.key.grantEncryptDecrypt(fn);
  }
}
