/**
 * The work (SPEC §9, §10): the work queue with its worker (one municipality's morning or escalations a
 * message, bounded concurrency), the exports bucket, and the scheduled jobs on EventBridge Scheduler
 * in Europe/Stockholm with retries and a dead-letter queue.
 */
import { ArnFormat, Duration, RemovalPolicy, type Stack, TimeZone, Validations } from "aws-cdk-lib";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from "aws-cdk-lib/aws-s3";
import { Schedule, ScheduleExpression } from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { EXPORT_BUCKET_ENV } from "../shared/adapters/files.ts";
import { WORK_QUEUE_URL_ENV } from "../shared/adapters/sqs.ts";
import { type ScheduleDef, schedules, TIME_ZONE } from "../shared/jobs/schedules.ts";
import type { Api } from "./api.ts";
import type { Data } from "./data.ts";
import { ElevvaktFunction, functionEntry, literal } from "./function.ts";
import type { People } from "./people.ts";

export type JobName = ScheduleDef["fn"];
export const JOBS: JobName[] = ["morning", "dispatcher"];
export const pascal = (name: string) => `${name[0]?.toUpperCase()}${name.slice(1)}`;

export class Jobs {
  readonly jobs: Record<JobName, ElevvaktFunction>;
  /** The work queue's consumer: one municipality's daily job and sweep, or escalations, a message (SPEC §10). */
  readonly worker: ElevvaktFunction;
  readonly workQueue: Queue;
  readonly workDeadLetters: Queue;
  readonly deadLetters: Queue;

  constructor(
    stack: Stack,
    data: Data,
    api: Api,
    people: People,
    props: { stage: string; workerConcurrency?: number | undefined },
  ) {
    // ---- the work queue (SPEC §10): one item per municipality, a worker with bounded concurrency ----
    this.workDeadLetters = new Queue(stack, "WorkDeadLetters", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.workQueue = new Queue(stack, "WorkQueue", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      // Longer than the worker may run, so a message is not offered twice at once.
      visibilityTimeout: Duration.minutes(20),
      retentionPeriod: Duration.days(4),
      // Offered three times, then kept aside (alarmed on); the next morning's run catches up regardless.
      deadLetterQueue: { queue: this.workDeadLetters, maxReceiveCount: 3 },
    });
    this.worker = new ElevvaktFunction(stack, "WorkerJob", {
      entry: functionEntry("worker"),
      stage: props.stage,
      environment: api.environment,
      timeout: Duration.minutes(10),
      memorySize: 1024,
      logKey: data.key,
    });
    data.grantStore(this.worker, "worker");
    // The school systems' client secrets (issue 20): the worker reads those under ss12000/ alone, and the
    // code holds each connector to its own municipality's (shared/ss12000/secrets.ts).
    this.worker.addToRolePolicy(
      new PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [
          stack.formatArn({
            service: "secretsmanager",
            resource: "secret",
            resourceName: "ss12000/*",
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    this.worker.addEventSource(
      new SqsEventSource(this.workQueue, {
        batchSize: 1,
        // How many municipalities are worked at once: bounded, so DynamoDB and SNS see a steady load.
        maxConcurrency: props.workerConcurrency ?? 10,
        reportBatchItemFailures: true,
      }),
    );

    // ---- exports (SPEC §9): large files in a private bucket, fetched through links that lapse in minutes ----
    const exportsBucket = new Bucket(stack, "Exports", {
      encryption: BucketEncryption.KMS,
      encryptionKey: data.key,
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
    const exporters = [api.functions.admin, people.web];
    for (const fn of exporters) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ["s3:GetObject"], resources: [exportsBucket.arnForObjects("*")] }));
      fn.addEnvironment(EXPORT_BUCKET_ENV, exportsBucket.bucketName);
      fn.addEnvironment(WORK_QUEUE_URL_ENV, this.workQueue.queueUrl);
      this.workQueue.grantSendMessages(fn);
    }
    const bucketId = stack.getLogicalId(exportsBucket.node.defaultChild as CfnBucket);
    Validations.of(this.worker).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:${literal(stack.region, "<AWS::Region>")}:${literal(stack.account, "<AWS::AccountId>")}:secret:ss12000/*]`,
      reason:
        "The school systems' client secrets are created by operators, one per municipality and system, under ss12000/<kommunkod>/; the code holds each connector to its own municipality's (shared/ss12000/secrets.ts).",
    });
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

    // ---- scheduled jobs (shared/jobs/schedules.ts): EventBridge Scheduler in Europe/Stockholm, retries, a DLQ ----
    this.jobs = Object.fromEntries(
      JOBS.map((name) => {
        const fn = new ElevvaktFunction(stack, `${pascal(name)}Job`, {
          entry: functionEntry(name),
          stage: props.stage,
          environment: { ...api.environment, [WORK_QUEUE_URL_ENV]: this.workQueue.queueUrl },
          timeout: Duration.minutes(name === "morning" ? 2 : 5),
          memorySize: 1024,
          logKey: data.key,
        });
        data.grantStore(fn, name);
        // The kickoffs only put work items on the queue.
        this.workQueue.grantSendMessages(fn);
        return [name, fn];
      }),
    ) as Record<JobName, ElevvaktFunction>;
    this.deadLetters = new Queue(stack, "ScheduleDeadLetters", {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: data.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // The schedules' role: it invokes the jobs and, when they cannot be reached, writes to the
    // dead-letter queue, which is encrypted with the data key.
    const schedulerRole = new Role(stack, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": stack.account } },
      }),
      description: "Elevvakt: EventBridge Scheduler invokes the jobs and dead-letters what it cannot deliver",
    });
    data.key.grantEncryptDecrypt(schedulerRole);
    for (const def of schedules) {
      new Schedule(stack, `${pascal(def.name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()))}Schedule`, {
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
  }
}
