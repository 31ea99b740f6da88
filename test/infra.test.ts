/** The CDK stack: what it declares, and cdk-nag (AwsSolutions) with no unacknowledged finding. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { ElevvaktStack } from "../infra/stack.ts";
import { tableDefinition } from "../shared/keys.ts";
import { routes } from "../shared/routes.ts";
import { awsCron, schedules } from "../shared/schedules.ts";

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
    expect(Object.keys(fns)).toHaveLength(8); // six route groups, the sweep and the dispatcher
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
    expect(declared).toEqual(Object.keys(routes).sort());
  });

  it("grants the table to the API functions but not to the OpenAPI function", () => {
    const policies = template.findResources("AWS::IAM::Policy");
    const names = Object.keys(policies);
    expect(names.some((n) => n.startsWith("DocsFunction"))).toBe(false);
    expect(names.filter((n) => /^(Admin|Register|Schools|Pupils)Function/.test(n))).toHaveLength(4);
  });

  it("fires the schedules of shared/schedules.ts in Europe/Stockholm, with retries and a dead-letter queue", () => {
    const found = Object.values(template.findResources("AWS::Scheduler::Schedule")).map((r) => r.Properties);
    expect(found.map((p) => p.ScheduleExpression).sort()).toEqual(schedules.map((s) => awsCron(s.cron)).sort());
    for (const p of found) {
      expect(p.ScheduleExpressionTimezone).toBe("Europe/Stockholm");
      expect(p.Target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 3 });
      expect(p.Target.DeadLetterConfig.Arn).toBeDefined();
    }
    template.hasResourceProperties("AWS::SQS::Queue", { KmsMasterKeyId: Match.anyValue() });
  });

  it("alarms on every function's errors, the dead-letter queue and failed deliveries", () => {
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")).map((a) => a.Properties);
    expect(alarms.filter((a) => a.MetricName === "Errors")).toHaveLength(8);
    expect(alarms.some((a) => a.MetricName === "ApproximateNumberOfMessagesVisible")).toBe(true);
    expect(alarms.some((a) => a.MetricName === "FailedDeliveries" && a.Namespace === "Elevvakt")).toBe(true);
    for (const a of alarms) expect(a.AlarmActions).toHaveLength(1);
    template.hasResourceProperties("AWS::Logs::MetricFilter", { FilterPattern: Match.stringLikeRegexp("delivery failed") });
    template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
  });

  it("lets only the admin function manage this stage's email topics, and the senders publish", () => {
    const statements = Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
      (p) => p.Properties.PolicyDocument.Statement,
    );
    const manage = statements.filter((st: { Action: unknown }) => JSON.stringify(st.Action).includes("sns:CreateTopic"));
    expect(manage).toHaveLength(1);
    expect(JSON.stringify(manage[0].Resource)).toContain("elevvakt-test-*");
  });

  it("passes cdk-nag AwsSolutions: every finding is fixed or acknowledged with a reason", () => {
    const text = JSON.stringify(report);
    expect(text).toContain("AwsSolutions");
    const failing = (report.pluginReports ?? []).filter((r) => r.summary?.status === "failure");
    expect(failing).toEqual([]);
  });
});
