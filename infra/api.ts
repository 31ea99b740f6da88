/**
 * The HTTP API: one function per route group, the routes from the one route table, access logs
 * without query strings or bodies, and each function's environment (what functions/runtime.ts reads).
 */
import { RemovalPolicy, type Stack } from "aws-cdk-lib";
import { type CfnStage, HttpApi, HttpMethod } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { AUDIT_TABLE_NAME_ENV, TABLE_NAME_ENV } from "../shared/adapters/dynamodb/keys.ts";
import { SECRET_ENV } from "../shared/adapters/secrets.ts";
import { type FunctionName, type RouteDef, routes } from "../shared/http/routes.ts";
import type { Data } from "./data.ts";
import { ElevvaktFunction, functionEntry } from "./function.ts";

export const FUNCTIONS: FunctionName[] = ["admin", "register", "schools", "pupils", "cases", "docs"];

/** Only the functions that look pupils up by personnummer read its HMAC key. */
const PEPPER_READERS: FunctionName[] = ["register", "schools", "pupils"];
/** Only the functions that check or issue API keys read the key-hash secret. */
const KEY_CHECKERS: FunctionName[] = ["admin", "register", "schools", "pupils", "cases"];

export class Api {
  readonly api: HttpApi;
  readonly functions: Record<FunctionName, ElevvaktFunction>;
  /** Where a case opens (links in alerts): the custom domain, else the API's own URL. */
  readonly appUrl: string;
  /** This stage's prefix of the recipient groups' SNS topics. */
  readonly topicPrefix: string;
  /** The environment every function that reaches the store gets (functions/runtime.ts reads it). */
  readonly environment: Record<string, string>;

  constructor(stack: Stack, data: Data, props: { stage: string; appUrl?: string | undefined }) {
    // The API first: its own URL is where alert links point unless a custom domain is given.
    this.api = new HttpApi(stack, "Api", {
      apiName: `elevvakt-${props.stage}`,
      description: "Elevvakt HTTP API v1",
      createDefaultStage: true,
    });
    this.appUrl = (props.appUrl ?? this.api.apiEndpoint).replace(/\/$/, "");
    this.topicPrefix = `elevvakt-${props.stage}`;
    this.environment = {
      [TABLE_NAME_ENV]: data.table.tableName,
      [AUDIT_TABLE_NAME_ENV]: data.auditTable.tableName,
      NOTIFIER: "sns",
      TOPIC_PREFIX: this.topicPrefix,
      TOPIC_KMS_KEY: data.key.keyArn,
      APP_URL: props.appUrl ?? this.api.apiEndpoint,
    };
    // The secrets are read from Secrets Manager the first time they are needed: neither is in any
    // function's configuration, only the secret's ARN.
    this.functions = Object.fromEntries(
      FUNCTIONS.map((name) => {
        const fn = new ElevvaktFunction(stack, `${name[0]?.toUpperCase()}${name.slice(1)}Function`, {
          entry: functionEntry(name),
          stage: props.stage,
          environment:
            name === "docs"
              ? {}
              : {
                  ...this.environment,
                  ...(PEPPER_READERS.includes(name) ? { [SECRET_ENV.pnr.arn]: data.pepper.secretArn } : {}),
                  ...(KEY_CHECKERS.includes(name) ? { [SECRET_ENV.keys.arn]: data.keyHash.secretArn } : {}),
                },
          logKey: data.key,
        });
        if (PEPPER_READERS.includes(name)) data.pepper.grantRead(fn);
        if (KEY_CHECKERS.includes(name)) data.keyHash.grantRead(fn);
        return [name, fn];
      }),
    ) as Record<FunctionName, ElevvaktFunction>;
    for (const name of FUNCTIONS) {
      // The OpenAPI function reads nothing; every other gets exactly what the store does.
      if (name !== "docs") data.grantStore(this.functions[name], name);
    }

    const accessLogs = new LogGroup(stack, "ApiAccessLogs", {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
      encryptionKey: data.key,
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
  }
}
