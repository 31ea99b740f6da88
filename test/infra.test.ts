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
    expect(Object.keys(fns)).toHaveLength(5);
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

  it("passes cdk-nag AwsSolutions: every finding is fixed or acknowledged with a reason", () => {
    const text = JSON.stringify(report);
    expect(text).toContain("AwsSolutions");
    const failing = (report.pluginReports ?? []).filter((r) => r.summary?.status === "failure");
    expect(failing).toEqual([]);
  });
});
