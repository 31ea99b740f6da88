/**
 * The Elevvakt stack: the table (from the one key declaration), the API functions behind an HTTP API
 * (routes from the one route table), a customer-managed KMS key, least-privilege grants.
 */
import {
  type CfnElement,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  TimeZone,
  Token,
  Validations,
} from "aws-cdk-lib";
import { type CfnStage, HttpApi, HttpMethod } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import {
  AccountRecovery,
  type CfnUserPoolClient,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from "aws-cdk-lib/aws-cognito";
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from "aws-cdk-lib/aws-s3";
import { Schedule, ScheduleExpression } from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import {
  AUDIT_TABLE_NAME_ENV,
  auditTableDefinition,
  DELETABLE,
  TABLE_NAME_ENV,
  tableDefinition,
} from "../shared/adapters/dynamodb/keys.ts";
import { EXPORT_BUCKET_ENV } from "../shared/adapters/files.ts";
import { type AlarmedMetric, NAMESPACE, STAGE_DIMENSION } from "../shared/adapters/metrics.ts";
import { SECRET_ENV } from "../shared/adapters/secrets.ts";
import { WORK_QUEUE_URL_ENV } from "../shared/adapters/sqs.ts";
import { type ScheduleDef, schedules, TIME_ZONE } from "../shared/app/schedules.ts";
import { type FunctionName, type RouteDef, routes } from "../shared/http/routes.ts";
import { OIDC_CLIENT_ID_ENV, OIDC_ISSUER_ENV, OIDC_LOGOUT_URL_ENV } from "../shared/web/identity.ts";
import { PROVIDER_SCOPES_ENV, type VouchPolicy } from "../shared/web/vouch.ts";
import { ElevvaktFunction, functionEntry } from "./function.ts";

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

const FUNCTIONS: FunctionName[] = ["admin", "register", "schools", "pupils", "cases", "docs"];
type JobName = ScheduleDef["fn"];
/** The web app for people (SPEC §8): its own function, behind the same HTTP API under /app. */
type WebName = "web";
const JOBS: JobName[] = ["morning", "dispatcher"];
const pascal = (name: string) => `${name[0]?.toUpperCase()}${name.slice(1)}`;

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

  private grantStore(fn: ElevvaktFunction, key: Key, name: FunctionName | JobName | WebName | "worker"): void {
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
    key.grantEncryptDecrypt(fn);
  }

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

    // The audit trail: its own table, to which the functions may only append (SPEC: each read audited).
    this.auditTable = new TableV2(this, "AuditTable", {
      partitionKey: { name: auditTableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: auditTableDefinition.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Keys personnummer into the table's lookup items with a keyed hash (never the number itself).
    const pepper = new Secret(this, "PnrPepper", {
      description: "Elevvakt: HMAC key for personnummer lookups",
      encryptionKey: key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    // Keys are stored as an HMAC with this secret (SPEC §1): whoever can write the table but cannot
    // read it makes no working key.
    const keyHash = new Secret(this, "KeyHashSecret", {
      description: "Elevvakt: HMAC key of the stored API keys",
      encryptionKey: key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    // CloudWatch Logs encrypts every log group with the data key; CloudWatch alarms publish to the encrypted operator topic.
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        resources: ["*"],
        conditions: {
          ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${this.partition}:logs:${this.region}:${this.account}:*` },
        },
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": this.account } },
      }),
    );

    // The API first: its own URL is where alert links point unless a custom domain is given.
    this.api = new HttpApi(this, "Api", {
      apiName: `elevvakt-${props.stage}`,
      description: "Elevvakt HTTP API v1",
      createDefaultStage: true,
    });

    const topicPrefix = `elevvakt-${props.stage}`;
    const environment = {
      [TABLE_NAME_ENV]: this.table.tableName,
      [AUDIT_TABLE_NAME_ENV]: this.auditTable.tableName,
      NOTIFIER: "sns",
      TOPIC_PREFIX: topicPrefix,
      TOPIC_KMS_KEY: key.keyArn,
      APP_URL: props.appUrl ?? this.api.apiEndpoint,
    };
    // Only the functions that look pupils up by personnummer read its HMAC key, and only those that
    // check or issue API keys read the key-hash secret — from Secrets Manager, the first time they
    // need it: neither is in any function's configuration, only the secret's ARN.
    const pepperReaders: FunctionName[] = ["register", "schools", "pupils"];
    const keyCheckers: FunctionName[] = ["admin", "register", "schools", "pupils", "cases"];
    this.functions = Object.fromEntries(
      FUNCTIONS.map((name) => {
        const fn = new ElevvaktFunction(this, `${name[0]?.toUpperCase()}${name.slice(1)}Function`, {
          entry: functionEntry(name),
          stage: props.stage,
          environment:
            name === "docs"
              ? {}
              : {
                  ...environment,
                  ...(pepperReaders.includes(name) ? { [SECRET_ENV.pnr.arn]: pepper.secretArn } : {}),
                  ...(keyCheckers.includes(name) ? { [SECRET_ENV.keys.arn]: keyHash.secretArn } : {}),
                },
          logKey: key,
        });
        if (pepperReaders.includes(name)) pepper.grantRead(fn);
        if (keyCheckers.includes(name)) keyHash.grantRead(fn);
        return [name, fn];
      }),
    ) as Record<FunctionName, ElevvaktFunction>;
    for (const name of FUNCTIONS) {
      // The OpenAPI function reads nothing; every other gets exactly what the store does.
      if (name !== "docs") this.grantStore(this.functions[name], key, name);
    }

    const accessLogs = new LogGroup(this, "ApiAccessLogs", {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
      encryptionKey: key,
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

    // ---- people (SPEC §8): a Cognito user pool, its hosted sign-in, and the web app under /app ----
    const appUrl = (props.appUrl ?? this.api.apiEndpoint).replace(/\/$/, "");
    this.userPool = new UserPool(this, "People", {
      userPoolName: `elevvakt-${props.stage}`,
      // Accounts are invited (independent schools' rektors with no federated provider); nobody signs up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      // A changed e-mail counts only once verified: nobody becomes a contact by typing its address.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      // Threat protection (compromised credentials, adaptive authentication) enforced.
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      userInvitation: {
        emailSubject: "Elevvakt: ditt konto",
        emailBody:
          "Du har fått ett konto i Elevvakt. Användarnamn: {username}. Tillfälligt lösenord: {####}. Logga in och välj en autentiseringsapp för tvåstegsverifiering.",
      },
    });
    const domain = new UserPoolDomain(this, "PeopleDomain", {
      userPool: this.userPool,
      cognitoDomain: { domainPrefix: props.authDomainPrefix ?? `elevvakt-${props.stage}` },
    });
    this.webClient = new UserPoolClient(this, "WebClient", {
      userPool: this.userPool,
      userPoolClientName: "elevvakt-web",
      // A public client: authorization code with PKCE, no secret in the function at all.
      generateSecret: false,
      // People may change their name; never their e-mail (it is what makes them a contact).
      readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true, fullname: true }),
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${appUrl}/app/callback`],
        logoutUrls: [`${appUrl}/app/signed-out`],
      },
      // Federated providers (Skolfederation, a municipality's Entra ID): created in the pool once (README), named here.
      supportedIdentityProviders: [
        UserPoolClientIdentityProvider.COGNITO,
        ...(props.identityProviders ?? []).map((name) => UserPoolClientIdentityProvider.custom(name)),
      ],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(8),
    });
    // Only the hosted sign-in (code + PKCE): no password, SRP or custom sign-in straight against the pool's API.
    (this.webClient.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ["ALLOW_REFRESH_TOKEN_AUTH"];
    this.web = new ElevvaktFunction(this, "WebFunction", {
      entry: functionEntry("web"),
      stage: props.stage,
      environment: {
        ...environment,
        // People search by personnummer and issue keys on the keys page.
        [SECRET_ENV.pnr.arn]: pepper.secretArn,
        [SECRET_ENV.keys.arn]: keyHash.secretArn,
        [OIDC_ISSUER_ENV]: `https://cognito-idp.${this.region}.amazonaws.com/${this.userPool.userPoolId}`,
        [OIDC_CLIENT_ID_ENV]: this.webClient.userPoolClientId,
        [OIDC_LOGOUT_URL_ENV]: `${domain.baseUrl()}/logout`,
        [PROVIDER_SCOPES_ENV]: JSON.stringify(props.providerScopes ?? { COGNITO: ["*"] }),
      },
      logKey: key,
    });
    pepper.grantRead(this.web);
    keyHash.grantRead(this.web);
    this.grantStore(this.web, key, "web");
    const webIntegration = new HttpLambdaIntegration("webIntegration", this.web);
    this.api.addRoutes({ path: "/app", methods: [HttpMethod.GET], integration: webIntegration });
    this.api.addRoutes({ path: "/app/{proxy+}", methods: [HttpMethod.ANY], integration: webIntegration });
    new CfnOutput(this, "WebAppUrl", { value: `${appUrl}/app`, description: "Where people sign in (SPEC §8)" });
    new CfnOutput(this, "UserPoolId", {
      value: this.userPool.userPoolId,
      description: "Invite accounts, add federated providers",
    });
    new CfnOutput(this, "SignInDomain", { value: domain.baseUrl(), description: "Cognito's hosted sign-in" });

    // ---- the work queue (SPEC §10): one item per municipality, a worker with bounded concurrency ----
    this.workDeadLetters = new Queue(this, "WorkDeadLetters", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.workQueue = new Queue(this, "WorkQueue", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      // Longer than the worker may run, so a message is not offered twice at once.
      visibilityTimeout: Duration.minutes(20),
      retentionPeriod: Duration.days(4),
      // Offered three times, then kept aside (alarmed on); the next morning's run catches up regardless.
      deadLetterQueue: { queue: this.workDeadLetters, maxReceiveCount: 3 },
    });
    this.worker = new ElevvaktFunction(this, "WorkerJob", {
      entry: functionEntry("worker"),
      stage: props.stage,
      environment,
      timeout: Duration.minutes(10),
      memorySize: 1024,
      logKey: key,
    });
    this.grantStore(this.worker, key, "worker");
    this.worker.addEventSource(
      new SqsEventSource(this.workQueue, {
        batchSize: 1,
        // How many municipalities are worked at once: bounded, so DynamoDB and SNS see a steady load.
        maxConcurrency: props.workerConcurrency ?? 10,
        reportBatchItemFailures: true,
      }),
    );

    // ---- exports (SPEC §9): large files in a private bucket, fetched through links that lapse in minutes ----
    const exportsBucket = new Bucket(this, "Exports", {
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // A file of personnummer is kept a day at most.
      lifecycleRules: [{ expiration: Duration.days(1) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    // The worker writes the file; the admin function signs the link (so it may read), and queues the job.
    // An export's object name is its job's random id: the roles reach objects, never the bucket's listing.
    this.worker.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:PutObject"], resources: [exportsBucket.arnForObjects("*")] }),
    );
    // The web app runs the same route handlers, so it gets the same (SPEC §8: what works locally works in AWS).
    const exporters = [this.functions.admin, this.web];
    for (const fn of exporters) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ["s3:GetObject"], resources: [exportsBucket.arnForObjects("*")] }));
      fn.addEnvironment(EXPORT_BUCKET_ENV, exportsBucket.bucketName);
      fn.addEnvironment(WORK_QUEUE_URL_ENV, this.workQueue.queueUrl);
      this.workQueue.grantSendMessages(fn);
    }
    const bucketId = this.getLogicalId(exportsBucket.node.defaultChild as CfnBucket);
    for (const fn of [this.worker, ...exporters])
      Validations.of(fn).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
        reason:
          "Export files are named by their job's random id, unknown when the role is made: one object action (put for the worker, get for the admin function) on the exports bucket's objects, no listing.",
      });
    Validations.of(exportsBucket).acknowledge({
      id: "AwsSolutions::AwsSolutions-S1",
      reason:
        "Every file is fetched through a link the admin function signs for the office that asked, after an audited request; files expire within a day. CloudTrail data events cover the bucket where an operator wants object-level logs.",
    });
    this.worker.addEnvironment(EXPORT_BUCKET_ENV, exportsBucket.bucketName);

    // ---- scheduled jobs (shared/app/schedules.ts): EventBridge Scheduler in Europe/Stockholm, retries, a DLQ ----
    this.jobs = Object.fromEntries(
      JOBS.map((name) => {
        const fn = new ElevvaktFunction(this, `${pascal(name)}Job`, {
          entry: functionEntry(name),
          stage: props.stage,
          environment: { ...environment, [WORK_QUEUE_URL_ENV]: this.workQueue.queueUrl },
          timeout: Duration.minutes(name === "morning" ? 2 : 5),
          memorySize: 1024,
          logKey: key,
        });
        this.grantStore(fn, key, name);
        // The kickoffs only put work items on the queue.
        this.workQueue.grantSendMessages(fn);
        return [name, fn];
      }),
    ) as Record<JobName, ElevvaktFunction>;
    this.deadLetters = new Queue(this, "ScheduleDeadLetters", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // The schedules' role: it invokes the jobs and, when they cannot be reached, writes to the
    // dead-letter queue, which is encrypted with the data key.
    const schedulerRole = new Role(this, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": this.account } },
      }),
      description: "Elevvakt: EventBridge Scheduler invokes the jobs and dead-letters what it cannot deliver",
    });
    key.grantEncryptDecrypt(schedulerRole);
    for (const def of schedules) {
      new Schedule(this, `${pascal(def.name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()))}Schedule`, {
        description: def.description,
        schedule: ScheduleExpression.cron({
          minute: def.cron.minute,
          hour: def.cron.hour,
          weekDay: def.cron.weekDays === "*" ? "*" : def.cron.weekDays,
          timeZone: TimeZone.of(TIME_ZONE),
        }),
        target: new LambdaInvoke(this.jobs[def.fn], {
          role: schedulerRole,
          retryAttempts: 3,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: this.deadLetters,
        }),
      });
    }

    // ---- SNS: SMS by direct publish, email through one KMS-encrypted topic per recipient group ----
    const topicArns = this.formatArn({ service: "sns", resource: `${topicPrefix}-*` });
    // The contacts' topics are managed where contacts are saved: the admin routes, and the office's
    // contacts page (the web app runs the same handlers, so its role needs what theirs do).
    for (const fn of [this.functions.admin, this.web]) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ["sns:CreateTopic", "sns:Subscribe", "sns:Unsubscribe", "sns:TagResource"],
          resources: [topicArns],
        }),
      );
    }
    // Only the dispatcher publishes (the others queue alerts in the outbox). Direct publish to a
    // phone number has no resource ARN; topics are limited to this stage's.
    this.jobs.dispatcher.addToRolePolicy(new PolicyStatement({ actions: ["sns:Publish"], resources: ["*", topicArns] }));
    // Whether an address confirmed its subscription: shown to the office, checked before an e-mail
    // alert goes out and by the daily job (alarmed on when alerts reach nobody).
    for (const fn of [this.functions.admin, this.web, this.jobs.dispatcher, this.worker]) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ["sns:ListSubscriptionsByTopic"], resources: [topicArns] }));
    }
    key.grantEncryptDecrypt(this.jobs.dispatcher);
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("sns.amazonaws.com")],
        actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
        resources: ["*"],
        conditions: { StringEquals: { "aws:SourceAccount": this.account } },
      }),
    );

    // ---- alarms: function errors, 5xx answers, dead letters, failed deliveries, a missing day, SMS spend ----
    const alarmTopic = new Topic(this, "OperatorAlarms", { masterKey: key, enforceSSL: true, displayName: "Elevvakt alarms" });
    // The operators who hear of alarms: -c alarmEmails=a@kommun.se,b@kommun.se (each confirms by e-mail).
    for (const email of (props.alarmEmails ?? []).filter((e) => e.includes("@"))) {
      alarmTopic.addSubscription(new EmailSubscription(email));
    }
    const action = new SnsAction(alarmTopic);
    // Any occurrence in the period raises the alarm (unless told otherwise), and tells the operators' topic.
    const alarm = (
      id: string,
      description: string,
      metric: IMetric,
      opts: { threshold?: number; below?: boolean; missing?: TreatMissingData } = {},
    ) =>
      new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: opts.threshold ?? 1,
        evaluationPeriods: 1,
        comparisonOperator: opts.below
          ? ComparisonOperator.LESS_THAN_THRESHOLD
          : ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: opts.missing ?? TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(action);
    // Business metrics carry the stage (shared/adapters/metrics.ts): an alarm counts only its own
    // stage's, whatever else shares the account. An alarm matches the exact dimension set, the stage alone.
    const business = (name: AlarmedMetric, period: Duration) =>
      new Metric({
        namespace: NAMESPACE,
        metricName: name,
        dimensionsMap: { [STAGE_DIMENSION]: props.stage },
        period,
        statistic: "Sum",
      });
    // A handled error answers 500 without failing the function: the API's own 5xx and the errors counted in the code.
    alarm("Api5xx", "Elevvakt API: answers 5xx", this.api.metricServerError({ period: Duration.minutes(5), statistic: "Sum" }));
    alarm(
      "ApiErrors",
      "Elevvakt API: requests that failed inside a function (counted by the code)",
      business("ApiErrors", Duration.minutes(5)),
    );
    alarm(
      "DailyRunMissing",
      "Elevvakt: the daily job and sweep did not complete in the last 24 hours: the index and the cases are not kept true",
      business("DailyRunCompleted", Duration.days(1)),
      { below: true, missing: TreatMissingData.BREACHING },
    );
    alarm(
      "CalendarMissing",
      "Elevvakt: a municipality has no calendar for this school year: its own children are watched only at schools with one",
      business("CalendarMissing", Duration.hours(1)),
    );
    alarm(
      "SweepFailures",
      "Elevvakt: a sweep or daily job failed for a municipality or a household",
      business("SweepFailures", Duration.hours(1)),
    );
    alarm(
      "AlertsToNobody",
      "Elevvakt: an e-mail alert found no confirmed address in its group (retried; see GET /v1/contacts of the municipality)",
      business("AlertsToNobody", Duration.hours(1)),
    );
    alarm(
      "ContactsUnreached",
      "Elevvakt: a contact's e-mail alerts reach nobody (unsubscribed, or not confirmed a day after being saved); the office saves the contact again to send a new confirmation",
      business("ContactsUnreached", Duration.days(1)),
    );
    const smsBudget = props.smsBudgetUsd ?? 100;
    alarm(
      "SmsSpend",
      `Elevvakt: SMS spend this month has passed 80 % of the budget (${smsBudget} USD; raise the account's SMS spending limit before it stops delivery)`,
      new Metric({ namespace: "AWS/SNS", metricName: "SMSMonthToDateSpentUSD", period: Duration.hours(1), statistic: "Maximum" }),
      { threshold: smsBudget * 0.8 },
    );
    for (const [name, fn] of [
      ...Object.entries(this.functions),
      ...Object.entries(this.jobs),
      ["worker", this.worker] as const,
    ]) {
      alarm(
        `${pascal(name)}Errors`,
        `Elevvakt ${name}: function errors`,
        fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
      );
    }
    alarm(
      "WorkFailed",
      "Elevvakt: a municipality's daily job, sweep or escalation failed three times (work dead-letter queue not empty); the log names the municipality",
      this.workDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    );
    alarm(
      "WorkBehind",
      "Elevvakt: a work item has waited 20 minutes or more: the morning's sweeps will not be done by 07:00",
      this.workQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: "Maximum" }),
      { threshold: 20 * 60 },
    );
    alarm(
      "DeadLetters",
      "Elevvakt: a scheduled job could not be delivered (dead-letter queue not empty)",
      this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    );
    const failed = new MetricFilter(this, "FailedDeliveriesFilter", {
      logGroup: this.jobs.dispatcher.logGroup,
      filterPattern: FilterPattern.stringValue("$.msg", "=", "delivery failed"),
      metricNamespace: NAMESPACE,
      metricName: "FailedDeliveries",
      metricValue: "1",
      // Every log line names its stage; a metric filter's dimension comes from the line (and then takes no default value).
      dimensions: { [STAGE_DIMENSION]: "$.stage" },
    });
    alarm(
      "FailedDeliveries",
      "Elevvakt: an alert could not be delivered after every retry",
      failed.metric({ period: Duration.minutes(15), statistic: "Sum", dimensionsMap: { [STAGE_DIMENSION]: props.stage } }),
    );

    new CfnOutput(this, "ApiUrl", { value: this.api.apiEndpoint });
    new CfnOutput(this, "AlarmTopicArn", {
      value: alarmTopic.topicArn,
      description: "Operators subscribe here (or deploy with -c alarmEmails=…)",
    });
    new CfnOutput(this, "WorkDeadLetterQueueUrl", {
      value: this.workDeadLetters.queueUrl,
      description: "Work items (a municipality's morning or escalation) that failed three times: npx elevvakt dlq show",
    });
    new CfnOutput(this, "DeadLetterQueueUrl", {
      value: this.deadLetters.queueUrl,
      description: "npx elevvakt dlq show --queue-url …",
    });
    new CfnOutput(this, "TableName", { value: this.table.tableName, description: "The CLI's --table" });
    new CfnOutput(this, "AuditLogTable", { value: this.auditTable.tableName, description: "The CLI's --audit-table" });
    new CfnOutput(this, "KeyHashSecretArn", {
      value: keyHash.secretArn,
      description: "The CLI's --key-secret (issuing keys reads it; the operator needs secretsmanager:GetSecretValue on it)",
    });

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
          "Neither HMAC key rotates on a timer: every personnummer lookup item, and every stored API key, is keyed by one of them. Rotating the personnummer key is an operator's migration (re-key the PNR# items); rotating the key-hash secret invalidates every key (issue them again), documented in the README.",
      },
      {
        id: "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
        reason:
          "sns:Publish to a phone number (SMS by direct publish, SPEC §5) has no resource ARN; the statement allows sns:Publish only.",
      },
      {
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sns:${literal(this.region, "<AWS::Region>")}:${literal(this.account, "<AWS::AccountId>")}:${topicPrefix}-*]`,
        reason:
          "Email topics are created at run time, one per recipient group, all named with this stage's prefix; no other topic is reachable.",
      },
      ...JOBS.map((name) => ({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.jobs[name].node.defaultChild as CfnElement)}.Arn>:*]`,
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
const DELETES: Record<FunctionName | JobName | WebName | "worker", string[]> = {
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

/** How cdk-nag prints a value in a finding id: the literal when known, else its pseudo-parameter. */
function literal(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? pseudo : value;
}
