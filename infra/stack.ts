/**
 * The Elevvakt stack: the table (from the one key declaration), the API functions behind an HTTP API
 * (routes from the one route table), a customer-managed KMS key, least-privilege grants.
 */
import { type CfnElement, CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { type CfnStage, HttpApi, HttpMethod } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { Key } from "aws-cdk-lib/aws-kms";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import type { Construct } from "constructs";
import { TABLE_NAME_ENV, tableDefinition } from "../shared/keys.ts";
import { type FunctionName, type RouteDef, routes } from "../shared/routes.ts";
import { ElevvaktFunction, functionEntry } from "./function.ts";

export interface ElevvaktStackProps extends StackProps {
  stage: string;
}

const FUNCTIONS: FunctionName[] = ["admin", "register", "schools", "pupils", "cases", "docs"];

export class ElevvaktStack extends Stack {
  readonly table: TableV2;
  readonly api: HttpApi;
  readonly functions: Record<FunctionName, ElevvaktFunction>;

  constructor(scope: Construct, id: string, props: ElevvaktStackProps) {
    super(scope, id, props);

    const key = new Key(this, "DataKey", {
      description: "Elevvakt: pupils' data at rest (table, logs, secrets)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const d = tableDefinition;
    this.table = new TableV2(this, "Table", {
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

    // Keys personnummer into the table's lookup items with a keyed hash (never the number itself).
    const pepper = new Secret(this, "PnrPepper", {
      description: "Elevvakt: HMAC key for personnummer lookups",
      encryptionKey: key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    const environment = {
      [TABLE_NAME_ENV]: this.table.tableName,
      // Lambda encrypts its environment at rest; the value never appears in the template.
      PNR_PEPPER: pepper.secretValue.unsafeUnwrap(),
    };
    this.functions = Object.fromEntries(
      FUNCTIONS.map((name) => {
        const fn = new ElevvaktFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}Function`, {
          entry: functionEntry(name),
          environment: name === "docs" ? {} : environment,
        });
        return [name, fn];
      }),
    ) as Record<FunctionName, ElevvaktFunction>;
    for (const name of FUNCTIONS) {
      // The OpenAPI function reads nothing; every other reads and writes the table and nothing else.
      if (name !== "docs") this.table.grantReadWriteData(this.functions[name]);
    }

    this.api = new HttpApi(this, "Api", {
      apiName: `elevvakt-${props.stage}`,
      description: "Elevvakt HTTP API v1",
      createDefaultStage: true,
    });
    const accessLogs = new LogGroup(this, "ApiAccessLogs", {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage;
    stage.accessLogSettings = {
      destinationArn: accessLogs.logGroupArn,
      // No query strings and no bodies: paths carry only opaque ids, never a personnummer.
      format: JSON.stringify({
        requestId: "$context.requestId",
        routeKey: "$context.routeKey",
        status: "$context.status",
        latency: "$context.responseLatency",
        ip: "$context.identity.sourceIp",
        time: "$context.requestTime",
      }),
    };
    stage.defaultRouteSettings = { throttlingBurstLimit: 200, throttlingRateLimit: 100 };

    const integrations = Object.fromEntries(
      FUNCTIONS.map((name) => [name, new HttpLambdaIntegration(`${name}Integration`, this.functions[name])]),
    ) as Record<FunctionName, HttpLambdaIntegration>;
    for (const def of Object.values(routes) as RouteDef[]) {
      this.api.addRoutes({ path: def.path, methods: [HttpMethod[def.method]], integration: integrations[def.fn] });
    }

    new CfnOutput(this, "ApiUrl", { value: this.api.apiEndpoint });
    new CfnOutput(this, "TableName", { value: this.table.tableName });

    const basicRole =
      "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]";
    const tableLogicalId = this.getLogicalId(this.table.node.defaultChild as CfnElement);
    const acks: { id: string; reason: string }[] = [
      {
        id: basicRole,
        reason: "AWSLambdaBasicExecutionRole only lets a function write its own log streams; CDK attaches it to every function.",
      },
      {
        id: "AwsSolutions::AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
        reason: "Granted by TableV2.grantReadWriteData on the one customer-managed data key, which encrypts the table.",
      },
      {
        id: "AwsSolutions::AwsSolutions-IAM5[Action::kms:ReEncrypt*]",
        reason: "Granted by TableV2.grantReadWriteData on the one customer-managed data key, which encrypts the table.",
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
        reason: "The table's own secondary indexes (the household/school lists and the sparse trouble index); no other table.",
      },
      {
        id: "AwsSolutions::AwsSolutions-APIG4",
        reason:
          "Every route but GET /v1/openapi.json authenticates a bearer API key in the function (random, stored hashed, constant-time compare, revocable; SPEC §1) and checks the principal's scope per resource, which an API Gateway authorizer cannot.",
      },
      {
        id: "AwsSolutions::AwsSolutions-SMG4",
        reason:
          "The personnummer HMAC key cannot rotate on a timer: every lookup item is keyed by it. Rotation is an operator's migration (re-key the PNR# items), documented in the README.",
      },
    ];
    // Every acknowledged cdk-nag finding carries its reason.
    for (const ack of acks) Validations.of(this).acknowledge(ack);
  }
}
