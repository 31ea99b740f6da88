/** A NodejsFunction with the project's defaults: Node.js 24 on arm64, minified ESM taking the runtime's AWS SDK, logs kept. */
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy, Token } from "aws-cdk-lib";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";

/** How cdk-nag prints a value in a finding id: the literal when known, else its pseudo-parameter. */
export function literal(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? pseudo : value;
}

/** What a bundle leaves to the Lambda runtime: the AWS SDK v3 it ships (and nothing else). */
export const AWS_SDK_EXTERNAL = ["@aws-sdk/*"] as const;

export const functionEntry = (name: string) => fileURLToPath(new URL(`../functions/${name}.ts`, import.meta.url));

export class ElevvaktFunction extends NodejsFunction {
  constructor(
    scope: Construct,
    id: string,
    props: {
      entry: string;
      /** The stage (dev, prod, …): every metric and log line carries it (STAGE). */
      stage: string;
      environment?: Record<string, string>;
      timeout?: Duration;
      memorySize?: number;
      logKey: IKey;
    },
  ) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.SIX_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
      // Logs carry no personal data by design; encrypted with the data key all the same.
      encryptionKey: props.logKey,
    });
    super(scope, id, {
      entry: props.entry,
      handler: "handler",
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(29),
      logGroup,
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
        LOG_LEVEL: "info",
        METRICS: "emf",
        ...props.environment,
        STAGE: props.stage,
      },
      // No X-Ray tracing. Nothing in the code is instrumented: the AWS SDK clients (DynamoDB, SNS,
      // SQS, S3) are not wrapped, and wrapping them needs the X-Ray SDK, a dependency the project
      // does not take. Active tracing would record only Lambda's own invocation segment, which the
      // REPORT line in the function's log already gives (duration, init duration, memory), at the
      // price of xray:PutTraceSegments on every role. A request is followed by its request id: a
      // failed request's answer quotes it, and every log line of the request names it.
      tracing: Tracing.DISABLED,
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: "node24",
        // The AWS SDK v3 is taken from the Lambda runtime, which ships it (README "Lambda bundles"):
        // bundled, it was half of every bundle (web 1,097 KB, admin 754 KB against 700 KB). Only
        // `@aws-sdk/*` is left out; every other package is bundled. test/deployed.test.ts runs each
        // bundle with nothing but `@aws-sdk/*` to resolve, as the runtime gives it.
        bundleAwsSDK: false,
        externalModules: [...AWS_SDK_EXTERNAL],
        mainFields: ["module", "main"],
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        forceDockerBundling: false,
      },
    });
  }
}
