/**
 * Alerts and alarms: who may manage and publish to the recipient groups' SNS topics (SMS by direct
 * publish, e-mail through one KMS-encrypted topic per group), and the operators' alarms — function
 * errors, 5xx answers, dead letters, failed deliveries, a missing day, SMS spend — with the outputs
 * an operator needs.
 */
import { CfnOutput, Duration, type Stack } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { FilterPattern, MetricFilter } from "aws-cdk-lib/aws-logs";
import { Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { type AlarmedMetric, NAMESPACE, STAGE_DIMENSION } from "../shared/adapters/metrics.ts";
import type { Api } from "./api.ts";
import type { Data } from "./data.ts";
import { type Jobs, pascal } from "./jobs.ts";
import type { People } from "./people.ts";

/** Who may manage the contacts' topics, and who publishes (SPEC §5). */
export function alertPermissions(stack: Stack, data: Data, api: Api, people: People, jobs: Jobs): void {
  // ---- SNS: SMS by direct publish, email through one KMS-encrypted topic per recipient group ----
  const topicArns = stack.formatArn({ service: "sns", resource: `${api.topicPrefix}-*` });
  // The contacts' topics are managed where contacts are saved: the admin routes, and the office's
  // contacts page (the web app runs the same handlers, so its role needs what theirs do).
  for (const fn of [api.functions.admin, people.web]) {
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ["sns:CreateTopic", "sns:Subscribe", "sns:Unsubscribe", "sns:TagResource"],
        resources: [topicArns],
      }),
    );
  }
  // Only the dispatcher publishes (the others queue alerts in the outbox). Direct publish to a
  // phone number has no resource ARN; topics are limited to this stage's.
  jobs.jobs.dispatcher.addToRolePolicy(new PolicyStatement({ actions: ["sns:Publish"], resources: ["*", topicArns] }));
  // Whether an address confirmed its subscription: shown to the office, checked before an e-mail
  // alert goes out and by the daily job (alarmed on when alerts reach nobody).
  for (const fn of [api.functions.admin, people.web, jobs.jobs.dispatcher, jobs.worker]) {
    fn.addToRolePolicy(new PolicyStatement({ actions: ["sns:ListSubscriptionsByTopic"], resources: [topicArns] }));
  }
  data.key.grantEncryptDecrypt(jobs.jobs.dispatcher);
  data.key.addToResourcePolicy(
    new PolicyStatement({
      principals: [new ServicePrincipal("sns.amazonaws.com")],
      actions: ["kms:GenerateDataKey*", "kms:Decrypt"],
      resources: ["*"],
      conditions: { StringEquals: { "aws:SourceAccount": stack.account } },
    }),
  );
}

export interface AlarmProps {
  stage: string;
  alarmEmails?: string[] | undefined;
  smsBudgetUsd?: number | undefined;
}

/** The operators' alarms (each to the alarm topic) and the stack's outputs. */
export function alarmsAndOutputs(stack: Stack, data: Data, api: Api, jobs: Jobs, props: AlarmProps): void {
  // ---- alarms: function errors, 5xx answers, dead letters, failed deliveries, a missing day, SMS spend ----
  const alarmTopic = new Topic(stack, "OperatorAlarms", {
    masterKey: data.key,
    enforceSSL: true,
    displayName: "Elevvakt alarms",
  });
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
    new Alarm(stack, id, {
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
  alarm("Api5xx", "Elevvakt API: answers 5xx", api.api.metricServerError({ period: Duration.minutes(5), statistic: "Sum" }));
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
  alarm(
    "SchoolSystemSyncFailed",
    "Elevvakt: a school system's SS 12000 sync failed (retried with back-off; its sync records say what failed)",
    business("SchoolSystemSyncFailed", Duration.hours(1)),
  );
  const smsBudget = props.smsBudgetUsd ?? 100;
  alarm(
    "SmsSpend",
    `Elevvakt: SMS spend this month has passed 80 % of the budget (${smsBudget} USD; raise the account's SMS spending limit before it stops delivery)`,
    new Metric({ namespace: "AWS/SNS", metricName: "SMSMonthToDateSpentUSD", period: Duration.hours(1), statistic: "Maximum" }),
    { threshold: smsBudget * 0.8 },
  );
  for (const [name, fn] of [...Object.entries(api.functions), ...Object.entries(jobs.jobs), ["worker", jobs.worker] as const]) {
    alarm(
      `${pascal(name)}Errors`,
      `Elevvakt ${name}: function errors`,
      fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
    );
  }
  alarm(
    "WorkFailed",
    "Elevvakt: a municipality's daily job, sweep or escalation failed three times (work dead-letter queue not empty); the log names the municipality",
    jobs.workDeadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
  );
  alarm(
    "WorkBehind",
    "Elevvakt: a work item has waited 20 minutes or more: the morning's sweeps will not be done by 07:00",
    jobs.workQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: "Maximum" }),
    { threshold: 20 * 60 },
  );
  alarm(
    "DeadLetters",
    "Elevvakt: a scheduled job could not be delivered (dead-letter queue not empty)",
    jobs.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
  );
  const failed = new MetricFilter(stack, "FailedDeliveriesFilter", {
    logGroup: jobs.jobs.dispatcher.logGroup,
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

  new CfnOutput(stack, "ApiUrl", { value: api.api.apiEndpoint });
  new CfnOutput(stack, "AlarmTopicArn", {
    value: alarmTopic.topicArn,
    description: "Operators subscribe here (or deploy with -c alarmEmails=…)",
  });
  new CfnOutput(stack, "WorkDeadLetterQueueUrl", {
    value: jobs.workDeadLetters.queueUrl,
    description: "Work items (a municipality's morning or escalation) that failed three times: npx elevvakt dlq show",
  });
  new CfnOutput(stack, "DeadLetterQueueUrl", {
    value: jobs.deadLetters.queueUrl,
    description: "npx elevvakt dlq show --queue-url …",
  });
  new CfnOutput(stack, "TableName", { value: data.table.tableName, description: "The CLI's --table" });
  new CfnOutput(stack, "AuditLogTable", { value: data.auditTable.tableName, description: "The CLI's --audit-table" });
  new CfnOutput(stack, "KeyHashSecretArn", {
    value: data.keyHash.secretArn,
    description: "The CLI's --key-secret (issuing keys reads it; the operator needs secretsmanager:GetSecretValue on it)",
  });
}
