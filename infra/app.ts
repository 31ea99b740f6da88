/** The CDK app: one Elevvakt stack per stage, checked by cdk-nag (AwsSolutions). */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { ElevvaktStack } from "./stack.ts";

const app = new App();
const stage = (app.node.tryGetContext("stage") as string | undefined) ?? "dev";
new ElevvaktStack(app, `Elevvakt-${stage}`, {
  stage,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? "eu-north-1" },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
