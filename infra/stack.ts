/**
 * The Elevvakt stack: it only wires its parts — the data (infra/data.ts), the API (api.ts), people
 * and the web app (people.ts), the work and the schedules (jobs.ts), alerts and alarms (alarms.ts) —
 * and says why each cdk-nag finding it accepts is acceptable.
 *
 * The parts are classes that add their resources at the stack's own scope, not nested constructs: a
 * construct would put every resource under a new path, so every logical id would change and
 * CloudFormation would replace the tables, the secrets, the key and the user pool of a deployed
 * stage (test/infra.test.ts pins the ids of what holds data).
 */
import { type CfnElement, Stack, type StackProps, Validations } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import type { UserPool, UserPoolClient } from "aws-cdk-lib/aws-cognito";
import type { TableV2 } from "aws-cdk-lib/aws-dynamodb";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import type { FunctionName } from "../shared/http/routes.ts";
import type { VouchPolicy } from "../shared/web/vouch.ts";
import { alarmsAndOutputs, alertPermissions } from "./alarms.ts";
import { Api } from "./api.ts";
import { Data } from "./data.ts";
import { type ElevvaktFunction, literal } from "./function.ts";
import { JOBS, type JobName, Jobs } from "./jobs.ts";
import { People } from "./people.ts";

export interface ElevvaktStackProps extends StackProps {
  stage: string;
  /** Where a case opens (links in alerts): a custom domain; the API's own URL when not given. */
  appUrl?: string;
  /** Operators' e-mail addresses, subscribed to the alarm topic. */
  alarmEmails?: string[];
  /** The month's SMS budget in USD: an alarm at 80 %. */
  smsBudgetUsd?: number;
  /** How many municipalities the worker takes at once (SPEC §10; -c workerConcurrency=, at least 2). */
  workerConcurrency?: number;
  /**
   * Which identity provider may vouch for which scopes (SPEC §8; -c providerScopes='{"Skolfederation":["school:*"]}').
   * The user pool's own invited accounts are `COGNITO`. Default: invited accounts only, for every scope.
   */
  providerScopes?: VouchPolicy;
  /** The Cognito hosted domain's prefix (-c authDomainPrefix=; globally unique). */
  authDomainPrefix?: string;
  /**
   * Federated providers added to the user pool (Skolfederation's SAML, a municipality's Entra ID),
   * by their names in the pool: the web app's client offers them (-c identityProviders=Skolfederation,Entra-0180).
   */
  identityProviders?: string[];
}

export class ElevvaktStack extends Stack {
  readonly table: TableV2;
  readonly auditTable: TableV2;
  readonly api: HttpApi;
  readonly functions: Record<FunctionName, ElevvaktFunction>;
  readonly jobs: Record<JobName, ElevvaktFunction>;
  /** The work queue's consumer: one municipality's daily job and sweep, or escalations, a message (SPEC §10). */
  readonly worker: ElevvaktFunction;
  readonly workQueue: Queue;
  readonly workDeadLetters: Queue;
  readonly deadLetters: Queue;
  readonly web: ElevvaktFunction;
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: ElevvaktStackProps) {
    super(scope, id, props);
    const data = new Data(this);
    const api = new Api(this, data, props);
    const people = new People(this, data, api, props);
    const jobs = new Jobs(this, data, api, people, props);
    alertPermissions(this, data, api, people, jobs);
    alarmsAndOutputs(this, data, api, jobs, props);

    this.table = data.table;
    this.auditTable = data.auditTable;
    this.api = api.api;
    this.functions = api.functions;
    this.web = people.web;
    this.userPool = people.userPool;
    this.webClient = people.webClient;
    this.jobs = jobs.jobs;
    this.worker = jobs.worker;
    this.workQueue = jobs.workQueue;
    this.workDeadLetters = jobs.workDeadLetters;
    this.deadLetters = jobs.deadLetters;

    const basicRole =
      "AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]";
    const tableLogicalId = this.getLogicalId(data.table.node.defaultChild as CfnElement);
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
          "Neither HMAC key rotates on a timer: every personnummer lookup item, and every stored API key, is keyed by one of them. Rotating the personnummer key is an operator's migration (re-key the PNR# items); rotating the key-hash secret invalidates every key (issue them again), documented in the README.",
      },
      {
        id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        reason:
          "sns:Publish to a phone number (SMS by direct publish, SPEC §5) has no resource ARN; the statement allows sns:Publish only.",
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sns:${literal(this.region, "<AWS::Region>")}:${literal(this.account, "<AWS::AccountId>")}:${api.topicPrefix}-*]`,
        reason:
          "Email topics are created at run time, one per recipient group, all named with this stage's prefix; no other topic is reachable.",
      },
      ...JOBS.map((name) => ({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(jobs.jobs[name].node.defaultChild as CfnElement)}.Arn>:*]`,
        reason: "EventBridge Scheduler's role may invoke this one job function and its versions (CDK's LambdaInvoke target).",
      })),
      {
        id: "AwsSolutions::AwsSolutions-SQS3",
        reason: "This queue is itself the schedules' dead-letter queue; its depth is alarmed on.",
      },
    ];
    // Every acknowledged cdk-nag finding carries its reason.
    for (const ack of acks) Validations.of(this).acknowledge(ack);
  }
}
