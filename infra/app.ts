/** The CDK app: one Elevvakt stack per stage, checked by cdk-nag (AwsSolutions). */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { ElevvaktStack } from "./stack.ts";

const app = new App();
const context = (name: string) => app.node.tryGetContext(name) as string | undefined;
const stage = context("stage") ?? "dev";
new ElevvaktStack(app, `Elevvakt-${stage}`, {
  stage,
  // The region is chosen here, not by the CLI's profile (which always sets CDK_DEFAULT_REGION): -c region=…
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: context("region") ?? "eu-north-1" },
  // Where alert links point: the API's own URL unless a custom domain is given with -c appUrl=…
  ...(context("appUrl") ? { appUrl: context("appUrl") } : {}),
  // Who hears of the operators' alarms, and the month's SMS budget: -c alarmEmails=a@x.se,b@y.se -c smsBudgetUsd=200
  alarmEmails: (context("alarmEmails") ?? "").split(",").map((e) => e.trim()),
  ...(context("smsBudgetUsd") ? { smsBudgetUsd: Number(context("smsBudgetUsd")) } : {}),
  // How many municipalities are worked at once (SPEC §10): -c workerConcurrency=20
  ...(context("workerConcurrency") ? { workerConcurrency: Math.max(2, Number(context("workerConcurrency"))) } : {}),
  // Which identity provider may vouch for which scopes (SPEC §8):
  //   -c providerScopes='{"Skolfederation":["schools-of:0180"],"Entra-0180":["municipality:0180","social:0180-*"],"COGNITO":["*"]}'
  ...(context("providerScopes") ? { providerScopes: JSON.parse(context("providerScopes") as string) } : {}),
  ...(context("authDomainPrefix") ? { authDomainPrefix: context("authDomainPrefix") } : {}),
  // The federated providers the web app's client offers: -c identityProviders=Skolfederation,Entra-0180
  ...(context("identityProviders")
    ? { identityProviders: (context("identityProviders") as string).split(",").map((p) => p.trim()) }
    : {}),
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
