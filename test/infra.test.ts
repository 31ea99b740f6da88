/** The CDK stack: what it declares, and cdk-nag (AwsSolutions) with no unacknowledged finding. */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { App, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { ElevvaktStack } from "../infra/stack.ts";
import { tableDefinition } from "../shared/adapters/dynamodb/keys.ts";
import { NAMESPACE } from "../shared/adapters/metrics.ts";
import { routes } from "../shared/http/routes.ts";
import { awsCron, schedules } from "../shared/jobs/schedules.ts";

const run = promisify(execFile);
let template: Template;
let report: { pluginReports?: { summary?: { status?: string }; violations?: unknown[] }[] } & Record<string, unknown>;

beforeAll(() => {
  const app = new App({ outdir: join(process.env.TMPDIR ?? "/tmp", `elevvakt-cdk-${process.pid}`) });
  const stack = new ElevvaktStack(app, "Test", { stage: "test", env: { account: "111111111111", region: "eu-north-1" } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth(); // throws when cdk-nag finds an error that is not acknowledged
  template = Template.fromStack(stack);
  report = JSON.parse(readFileSync(join(assembly.directory, "validation-report.json"), "utf8"));
}, 120_000);

describe("stack", () => {
  it("has the table from the one key declaration, with PITR, deletion protection and a customer-managed key", () => {
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      KeySchema: [
        { AttributeName: tableDefinition.partitionKey, KeyType: "HASH" },
        { AttributeName: tableDefinition.sortKey, KeyType: "RANGE" },
      ],
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: "KMS" }),
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
      GlobalSecondaryIndexes: tableDefinition.indexes.map((i) => Match.objectLike({ IndexName: i.indexName })),
    });
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("runs every function on Node.js 24, arm64, with logs kept", () => {
    const fns = template.findResources("AWS::Lambda::Function");
    expect(Object.keys(fns)).toHaveLength(10); // six route groups, the web app, the morning and dispatcher kickoffs, the worker
    for (const fn of Object.values(fns)) {
      expect(fn.Properties.Runtime).toBe("nodejs24.x");
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
    }
    template.allResourcesProperties("AWS::Logs::LogGroup", { RetentionInDays: 180 });
  });

  it("declares exactly the routes of the route table", () => {
    const declared = Object.values(template.findResources("AWS::ApiGatewayV2::Route"))
      .map((r) => r.Properties.RouteKey)
      .sort();
    // The route table's, and the web app's two (SPEC §8).
    expect(declared).toEqual([...Object.keys(routes), "GET /app", "ANY /app/{proxy+}"].sort());
  });

  it("grants the table to the API functions but not to the OpenAPI function", () => {
    const policies = template.findResources("AWS::IAM::Policy");
    const names = Object.keys(policies);
    // The docs function may do nothing (it has no policy at all, or one without any of these).
    const docs = names.filter((n) => n.startsWith("DocsFunction")).map((n) => JSON.stringify(policies[n]));
    for (const d of docs) expect(d).not.toMatch(/dynamodb|secretsmanager|sns:|kms:/);
    expect(names.filter((n) => /^(Admin|Register|Schools|Pupils)Function/.test(n))).toHaveLength(4);
  });

  it("fires the schedules of shared/jobs/schedules.ts in Europe/Stockholm, with retries and a dead-letter queue", () => {
    const found = Object.values(template.findResources("AWS::Scheduler::Schedule")).map((r) => r.Properties);
    expect(found.map((p) => p.ScheduleExpression).sort()).toEqual(schedules.map((s) => awsCron(s.cron)).sort());
    for (const p of found) {
      expect(p.ScheduleExpressionTimezone).toBe("Europe/Stockholm");
      expect(p.Target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 3 });
      expect(p.Target.DeadLetterConfig.Arn).toBeDefined();
    }
    template.hasResourceProperties("AWS::SQS::Queue", { KmsMasterKeyId: Match.anyValue() });
  });

  it("fans the morning run and the escalations out per municipality through SQS (SPEC §10)", () => {
    const queues = template.findResources("AWS::SQS::Queue");
    const id = (prefix: string) => Object.keys(queues).find((k) => k.startsWith(prefix)) as string;
    const work = queues[id("WorkQueue")]?.Properties;
    // Offered three times, then to its own encrypted dead-letter queue; never visible twice at once.
    expect(work.RedrivePolicy).toMatchObject({
      maxReceiveCount: 3,
      deadLetterTargetArn: { "Fn::GetAtt": [id("WorkDeadLetters"), "Arn"] },
    });
    expect(work.KmsMasterKeyId).toBeDefined();
    const worker = Object.entries(template.findResources("AWS::Lambda::Function")).find(([k]) => k.startsWith("WorkerJob"));
    expect(worker?.[1].Properties.Timeout).toBeLessThan(work.VisibilityTimeout);
    // The worker: one municipality a message, a bounded number at once, a failed one reported alone.
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [id("WorkQueue"), "Arn"] },
      FunctionName: { Ref: worker?.[0] },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 10 },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    // The kickoffs send to the queue (and know where it is); the worker only receives.
    const policies = Object.entries(template.findResources("AWS::IAM::Policy"));
    const senders = policies
      .filter(([, p]) => JSON.stringify(p).includes("sqs:SendMessage") && JSON.stringify(p).includes(id("WorkQueue")))
      .map(([k]) => k.replace(/ServiceRoleDefaultPolicy.*$/, ""))
      .sort();
    // …and the functions that run the export route, whose large exports are work items.
    expect(senders).toEqual(["AdminFunction", "DispatcherJob", "MorningJob", "WebFunction"]);
    for (const [k, f] of Object.entries(template.findResources("AWS::Lambda::Function"))) {
      const url = f.Properties.Environment?.Variables?.WORK_QUEUE_URL;
      if (k.startsWith("MorningJob") || k.startsWith("DispatcherJob")) expect(url).toEqual({ Ref: id("WorkQueue") });
    }
    // A failed municipality, and a queue that falls behind the morning, are alarmed on.
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")).map((a) => a.Properties);
    const on = (queue: string, metric: string) =>
      alarms.find((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(id(queue)));
    expect(on("WorkDeadLetters", "ApproximateNumberOfMessagesVisible")).toBeDefined();
    expect(on("WorkQueue", "ApproximateAgeOfOldestMessage")).toMatchObject({ Threshold: 1200 });
  });

  it("alarms on every function's errors, the dead-letter queue and failed deliveries", () => {
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")).map((a) => a.Properties);
    expect(alarms.filter((a) => a.MetricName === "Errors")).toHaveLength(9);
    expect(alarms.some((a) => a.MetricName === "ApproximateNumberOfMessagesVisible")).toBe(true);
    expect(alarms.some((a) => a.MetricName === "FailedDeliveries" && a.Namespace === "Elevvakt")).toBe(true);
    for (const a of alarms) expect(a.AlarmActions).toHaveLength(1);
    template.hasResourceProperties("AWS::Logs::MetricFilter", { FilterPattern: Match.stringLikeRegexp("delivery failed") });
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
  });

  it("lets only the admin function and the web app (the office's contacts page) manage this stage's email topics", () => {
    const managers = Object.entries(template.findResources("AWS::IAM::Policy"))
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument.Statement).includes("sns:CreateTopic"))
      .map(([id]) => id.replace(/ServiceRoleDefaultPolicy.*$/, ""))
      .sort();
    expect(managers).toEqual(["AdminFunction", "WebFunction"]);
    for (const [, p] of Object.entries(template.findResources("AWS::IAM::Policy"))) {
      for (const st of p.Properties.PolicyDocument.Statement as { Action: unknown; Resource: unknown }[]) {
        if (JSON.stringify(st.Action).includes("sns:CreateTopic"))
          expect(JSON.stringify(st.Resource)).toContain("elevvakt-test-*");
      }
    }
  });

  it("gives the web app every grant of the route functions whose handlers it runs (what works locally works in AWS)", () => {
    const policies = Object.entries(template.findResources("AWS::IAM::Policy"));
    const actionsOf = (prefix: string) =>
      new Set(
        policies
          .filter(([id]) => id.startsWith(prefix))
          .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as { Action: string | string[] }[])
          .flatMap((st) => ([] as string[]).concat(st.Action)),
      );
    const web = actionsOf("WebFunction");
    for (const fn of ["AdminFunction", "RegisterFunction", "SchoolsFunction", "PupilsFunction", "CasesFunction"]) {
      for (const action of actionsOf(fn)) expect(web.has(action), `${fn}: ${action}`).toBe(true);
    }
  });

  it("keeps the logical id of everything that holds data or people (a changed id would make CloudFormation replace it)", () => {
    // The stack's parts (infra/data.ts, api.ts, people.ts, jobs.ts, alarms.ts) add their resources at
    // the stack's own scope, so splitting the stack changed no id; a nested construct would change all.
    const kept: Record<string, string[]> = {
      "AWS::KMS::Key": ["DataKey17AFBB84"],
      "AWS::DynamoDB::GlobalTable": ["TableCD117FA1", "AuditTableB07F8EEB"],
      "AWS::SecretsManager::Secret": ["PnrPepper0C211943", "KeyHashSecretE4671344"],
      "AWS::Cognito::UserPool": ["PeopleE38C8D03"],
      "AWS::Cognito::UserPoolClient": ["WebClient697086FD"],
      "AWS::Cognito::UserPoolDomain": ["PeopleDomain53E994D7"],
      "AWS::SQS::Queue": ["WorkDeadLetters429E96E8", "WorkQueue94013F35", "ScheduleDeadLetters0406ECBC"],
      "AWS::S3::Bucket": ["Exports25637AFB"],
      "AWS::ApiGatewayV2::Api": ["ApiF70053CD"],
      "AWS::SNS::Topic": ["OperatorAlarms0A66BB52"],
    };
    for (const [type, ids] of Object.entries(kept))
      expect(Object.keys(template.findResources(type)).sort(), type).toEqual(ids.sort());
  });

  it("passes cdk-nag AwsSolutions: every finding is fixed or acknowledged with a reason", () => {
    const text = JSON.stringify(report);
    expect(text).toContain("AwsSolutions");
    const failing = (report.pluginReports ?? []).filter((r) => r.summary?.status === "failure");
    expect(failing).toEqual([]);
  });
});

describe("deploying and operating (issue 8)", () => {
  const fns = () => Object.entries(template.findResources("AWS::Lambda::Function"));
  const policies = () => Object.entries(template.findResources("AWS::IAM::Policy"));

  it("names the personnummer key and the key-hash secret (Secrets Manager) to exactly the functions that need them, and puts neither value in any configuration", () => {
    const naming = (env: string) =>
      fns()
        .filter(([, f]) => f.Properties.Environment?.Variables?.[env])
        .map(([id]) => id.replace(/Function.*$/, ""))
        .sort();
    expect(naming("PNR_PEPPER_SECRET")).toEqual(["Pupils", "Register", "Schools", "Web"]);
    expect(naming("KEY_HMAC_SECRET")).toEqual(["Admin", "Cases", "Pupils", "Register", "Schools", "Web"]);
    for (const [, f] of fns()) {
      const names = Object.keys(f.Properties.Environment?.Variables ?? {});
      expect(names).not.toContain("PNR_PEPPER");
      expect(names).not.toContain("KEY_HMAC");
    }
    const readers = policies()
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes("secretsmanager:GetSecretValue"))
      .map(([id]) => id.replace(/Function.*$/, ""));
    expect(readers.filter((id) => !id.startsWith("WorkerJob")).sort()).toEqual([
      "Admin",
      "Cases",
      "Pupils",
      "Register",
      "Schools",
      "Web",
    ]);
    // The worker reads the school systems' secrets (issue 20), those under ss12000/ and no other.
    const worker = policies().find(([id]) => id.startsWith("WorkerJob"));
    const reads = (worker?.[1].Properties.PolicyDocument.Statement ?? []).filter((st: { Action: unknown }) =>
      JSON.stringify(st.Action).includes("secretsmanager:GetSecretValue"),
    );
    expect(reads).toHaveLength(1);
    expect(JSON.stringify(reads[0].Resource)).toMatch(/:secret:ss12000\/\*"/);
  });

  it("encrypts every log group with the data key, which CloudWatch Logs and alarms may use", () => {
    for (const g of Object.values(template.findResources("AWS::Logs::LogGroup"))) expect(g.Properties.KmsKeyId).toBeDefined();
    const key = Object.values(template.findResources("AWS::KMS::Key"))[0];
    const principals = JSON.stringify(key?.Properties.KeyPolicy.Statement.map((st: { Principal: unknown }) => st.Principal));
    expect(principals).toContain("logs.eu-north-1.amazonaws.com");
    expect(principals).toContain("cloudwatch.amazonaws.com");
  });

  it("points alert links at the API's own URL, or at the custom domain given", () => {
    const apiId = Object.keys(template.findResources("AWS::ApiGatewayV2::Api"))[0];
    for (const [, f] of fns().filter(([id]) => !id.startsWith("Docs"))) {
      expect(JSON.stringify(f.Properties.Environment.Variables.APP_URL)).toContain(apiId);
    }
    const app = new App({
      outdir: join(process.env.TMPDIR ?? "/tmp", `elevvakt-cdk-url-${process.pid}`),
      context: { "aws:cdk:bundling-stacks": [] },
    });
    const custom = Template.fromStack(
      new ElevvaktStack(app, "Custom", {
        stage: "test",
        appUrl: "https://elevvakt.stockholm.se",
        env: { account: "111111111111", region: "eu-north-1" },
      }),
    );
    const urls = Object.values(custom.findResources("AWS::Lambda::Function")).map(
      (f) => f.Properties.Environment?.Variables?.APP_URL,
    );
    expect(urls.filter((u) => u !== undefined).every((u) => u === "https://elevvakt.stockholm.se")).toBe(true);
  });

  it("deploys to eu-north-1 whatever region the CLI's profile sets, unless -c region= says otherwise", async () => {
    const synth = async (context: Record<string, unknown>) => {
      const out = join(process.env.TMPDIR ?? "/tmp", `elevvakt-cdk-app-${process.pid}-${Object.keys(context).length}`);
      await run(process.execPath, [resolve("infra/app.ts")], {
        env: {
          ...process.env,
          CDK_OUTDIR: out,
          CDK_DEFAULT_REGION: "us-east-1",
          CDK_DEFAULT_ACCOUNT: "111111111111",
          CDK_CONTEXT_JSON: JSON.stringify({ "aws:cdk:bundling-stacks": [], ...context }),
        },
      });
      const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
      const stack = Object.values(manifest.artifacts as Record<string, { type: string; environment?: string }>).find(
        (a) => a.type === "aws:cloudformation:stack",
      );
      return stack?.environment;
    };
    expect(await synth({})).toBe("aws://111111111111/eu-north-1");
    expect(await synth({ region: "eu-west-1" })).toBe("aws://111111111111/eu-west-1");
  }, 120_000);

  it("grants each function exactly what it uses: no Scan or BatchWriteItem, the audit table append-only, sns:Publish to the dispatcher alone", () => {
    const auditId = Object.entries(template.findResources("AWS::DynamoDB::GlobalTable")).find(([id]) =>
      id.startsWith("AuditTable"),
    )?.[0];
    expect(auditId).toBeDefined();
    template.hasResourceProperties("AWS::DynamoDB::GlobalTable", {
      Replicas: [
        Match.objectLike({
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    });
    const deletes: Record<string, string[]> = {};
    for (const [id, p] of policies()) {
      for (const st of p.Properties.PolicyDocument.Statement as {
        Action: string | string[];
        Resource: unknown;
        Condition?: Record<string, Record<string, string[]>>;
      }[]) {
        const actions = ([] as string[]).concat(st.Action);
        expect(actions, id).not.toContain("dynamodb:Scan");
        expect(actions, id).not.toContain("dynamodb:BatchWriteItem");
        // The audit table: appended to by all, read (Query) only by the two that answer a guardian's request.
        if (JSON.stringify(st.Resource).includes(auditId as string)) {
          expect(actions, id).toEqual(
            /^(Pupils|Web)Function/.test(id) ? ["dynamodb:PutItem", "dynamodb:Query"] : ["dynamodb:PutItem"],
          );
        }
        if (actions.includes("sns:Publish")) expect(id).toMatch(/^DispatcherJob/);
        // A delete only of the items the function's code deletes, by the partition key's prefix.
        if (actions.some((a) => a === "dynamodb:DeleteItem" || a === "dynamodb:*")) {
          expect(actions, id).toEqual(["dynamodb:DeleteItem"]);
          const leading = st.Condition?.["ForAllValues:StringLike"]?.["dynamodb:LeadingKeys"];
          expect(leading, id).toBeDefined();
          deletes[id.replace(/ServiceRoleDefaultPolicy.*$/, "")] = [...(leading ?? [])].sort();
        }
      }
    }
    expect(deletes).toEqual({
      AdminFunction: ["IDEMPOTENCY#*"],
      CasesFunction: ["CASESCOPE#*", "IDEMPOTENCY#*"],
      PupilsFunction: ["IDEMPOTENCY#*"],
      RegisterFunction: ["CASESCOPE#*", "IDEMPOTENCY#*"],
      SchoolsFunction: ["CASESCOPE#*", "IDEMPOTENCY#*", "PUPIL#*"],
      WebFunction: ["CASESCOPE#*", "PUPIL#*", "SESSION#*"],
      WorkerJob: ["CASESCOPE#*"],
    });
    for (const [, f] of fns().filter(([id]) => !id.startsWith("Docs"))) {
      expect(f.Properties.Environment.Variables.AUDIT_TABLE_NAME).toBeDefined();
    }
  });

  it("tells operators: alarms on 5xx answers, errors counted in the code, a day without the daily run, skipped sweeps, SMS spend; subscribers and outputs", () => {
    const app = new App({
      outdir: join(process.env.TMPDIR ?? "/tmp", `elevvakt-cdk-ops-${process.pid}`),
      context: { "aws:cdk:bundling-stacks": [] },
    });
    const t = Template.fromStack(
      new ElevvaktStack(app, "Ops", {
        stage: "test",
        alarmEmails: ["drift@kommun.se", "jour@kommun.se"],
        smsBudgetUsd: 200,
        env: { account: "111111111111", region: "eu-north-1" },
      }),
    );
    const alarms = Object.values(t.findResources("AWS::CloudWatch::Alarm")).map((a) => a.Properties);
    const by = (name: string) => alarms.find((a) => a.MetricName === name);
    expect(by("5xx")).toMatchObject({ Namespace: "AWS/ApiGateway" });
    expect(by("ApiErrors")).toMatchObject({ Namespace: "Elevvakt" });
    expect(by("DailyRunCompleted")).toMatchObject({
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
      Period: 86400,
    });
    expect(by("CalendarMissing")).toBeDefined();
    // E-mail alerts that reach nobody: an alert to a group without a confirmed address, a contact unsubscribed or unconfirmed.
    expect(by("AlertsToNobody")).toMatchObject({ Namespace: "Elevvakt", Threshold: 1 });
    expect(by("ContactsUnreached")).toMatchObject({ Namespace: "Elevvakt", Period: 86400 });
    const policies = Object.entries(t.findResources("AWS::IAM::Policy"));
    const listing = policies
      .filter(([, p]) => JSON.stringify(p).includes("sns:ListSubscriptionsByTopic"))
      .map(([id]) => id.replace(/ServiceRoleDefaultPolicy.*$/, ""))
      .sort();
    expect(listing).toEqual(["AdminFunction", "DispatcherJob", "WebFunction", "WorkerJob"].sort());
    expect(by("SMSMonthToDateSpentUSD")).toMatchObject({ Namespace: "AWS/SNS", Threshold: 160 });
    const subs = Object.values(t.findResources("AWS::SNS::Subscription")).map((x) => x.Properties);
    expect(subs.map((x) => x.Endpoint).sort()).toEqual(["drift@kommun.se", "jour@kommun.se"]);
    t.hasOutput("AlarmTopicArn", {});
    t.hasOutput("DeadLetterQueueUrl", {});
    // The schedules' role may use the data key, which encrypts their dead-letter queue.
    const schedulerPolicy = Object.entries(t.findResources("AWS::IAM::Policy")).find(([id]) => id.startsWith("SchedulerRole"));
    expect(JSON.stringify(schedulerPolicy?.[1])).toMatch(/kms:GenerateDataKey/);
    expect(JSON.stringify(schedulerPolicy?.[1])).toMatch(/sqs:SendMessage/);
    for (const f of Object.values(t.findResources("AWS::Lambda::Function"))) {
      expect(f.Properties.Environment?.Variables?.METRICS).toBe("emf");
    }
  });
});

describe("operations (issue 16, item 2)", () => {
  it("gives every function its stage, and alarms on business metrics of that stage alone (the exact dimension set the code emits)", () => {
    const fns = Object.values(template.findResources("AWS::Lambda::Function"));
    for (const f of fns) expect(f.Properties.Environment.Variables).toMatchObject({ STAGE: "test", METRICS: "emf" });
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")).map((a) => a.Properties);
    const business = alarms.filter((a) => a.Namespace === NAMESPACE);
    expect(business.map((a) => a.MetricName).sort()).toEqual(
      [
        "ApiErrors",
        "DailyRunCompleted",
        "CalendarMissing",
        "SweepFailures",
        "AlertsToNobody",
        "ContactsUnreached",
        "SchoolSystemSyncFailed",
        "FailedDeliveries",
      ].sort(),
    );
    for (const a of business) expect(a.Dimensions, a.MetricName).toEqual([{ Name: "Stage", Value: "test" }]);
    // The metric filter takes the stage from the log line, which names it (shared/adapters/log.ts).
    template.hasResourceProperties("AWS::Logs::MetricFilter", {
      FilterPattern: Match.stringLikeRegexp("delivery failed"),
      MetricTransformations: [
        Match.objectLike({ MetricName: "FailedDeliveries", Dimensions: [{ Key: "Stage", Value: "$.stage" }] }),
      ],
    });
  });

  it("traces nothing with X-Ray (nothing is instrumented; infra/function.ts says why): no tracing, no X-Ray rights", () => {
    for (const f of Object.values(template.findResources("AWS::Lambda::Function"))) {
      expect(f.Properties.TracingConfig).toBeUndefined();
    }
    expect(JSON.stringify(template.findResources("AWS::IAM::Policy"))).not.toMatch(/xray:/);
  });
});

describe("people sign in (issue 10, SPEC §8)", () => {
  it("has a Cognito user pool for invited accounts with MFA, no self sign-up, deletion protection", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      MfaConfiguration: "ON",
      EnabledMfas: ["SOFTWARE_TOKEN_MFA"],
      AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
      DeletionProtection: "ACTIVE",
      UsernameAttributes: ["email"],
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 14 }) },
    });
    template.hasResourceProperties("AWS::Cognito::UserPoolDomain", { Domain: "elevvakt-test" });
  });

  it("signs the web app in with authorization code and PKCE, a public client with no secret, callback on the app's address", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      GenerateSecret: false,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(["openid", "email", "profile"]),
      SupportedIdentityProviders: ["COGNITO"],
      PreventUserExistenceErrors: "ENABLED",
      CallbackURLs: [Match.objectLike({ "Fn::Join": Match.arrayWith([Match.arrayWith(["/app/callback"])]) })],
      LogoutURLs: [Match.objectLike({ "Fn::Join": Match.arrayWith([Match.arrayWith(["/app/signed-out"])]) })],
      // Only the hosted sign-in: no password, SRP or custom sign-in against the pool's API with the public id.
      ExplicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
      // A person may not write their own e-mail (what makes them a contact).
      WriteAttributes: ["name"],
    });
    // A changed e-mail counts only once verified.
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
    });
    const web = Object.entries(template.findResources("AWS::Lambda::Function")).find(([id]) => id.startsWith("WebFunction"))?.[1];
    const env = web?.Properties.Environment.Variables;
    expect(JSON.stringify(env.OIDC_ISSUER)).toContain("cognito-idp.eu-north-1.amazonaws.com/");
    expect(env.OIDC_CLIENT_ID).toBeDefined();
    expect(JSON.stringify(env.OIDC_LOGOUT_URL)).toContain("/logout");
    // By default only the pool's own (invited) accounts vouch; a federated provider is named with -c providerScopes.
    expect(JSON.parse(env.OIDC_PROVIDER_SCOPES)).toEqual({ COGNITO: ["*"] });
  });

  it("takes the provider policy and the domain from the context", () => {
    const app = new App({ outdir: join(process.env.TMPDIR ?? "/tmp", `elevvakt-cdk-p-${process.pid}`) });
    const stack = new ElevvaktStack(app, "P", {
      stage: "prod",
      env: { account: "111111111111", region: "eu-north-1" },
      appUrl: "https://elevvakt.stockholm.se",
      providerScopes: { Skolfederation: ["schools-of:0180"], "Entra-0180": ["municipality:0180", "social:0180-*"] },
      authDomainPrefix: "elevvakt-stockholm",
      identityProviders: ["Skolfederation", "Entra-0180"],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      CallbackURLs: ["https://elevvakt.stockholm.se/app/callback"],
      // The federated providers named in the context are offered by the client (a deploy does not drop them).
      SupportedIdentityProviders: ["COGNITO", "Skolfederation", "Entra-0180"],
    });
    t.hasResourceProperties("AWS::Cognito::UserPoolDomain", { Domain: "elevvakt-stockholm" });
    const web = Object.entries(t.findResources("AWS::Lambda::Function")).find(([id]) => id.startsWith("WebFunction"))?.[1];
    expect(JSON.parse(web?.Properties.Environment.Variables.OIDC_PROVIDER_SCOPES)).toEqual({
      Skolfederation: ["schools-of:0180"],
      "Entra-0180": ["municipality:0180", "social:0180-*"],
    });
  });
});
