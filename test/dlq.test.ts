/** The dead-letter queue commands of the CLI, against mocked SQS and Lambda (AWS services with no local engine). */
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { deadLetters, redrive } from "../cli/dlq.ts";

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
afterEach(() => {
  sqs.reset();
  lambda.reset();
});

const message = (id: string, target: string) => ({
  MessageId: id,
  ReceiptHandle: `rh-${id}`,
  Body: "{}",
  MessageAttributes: {
    TARGET_ARN: { DataType: "String", StringValue: target },
    ERROR_CODE: { DataType: "String", StringValue: "Lambda.TooManyRequestsException" },
    RETRY_ATTEMPTS: { DataType: "String", StringValue: "3" },
  },
});

describe("elevvakt dlq", () => {
  it("shows what failed, and runs it again, deleting a message only when its run succeeded", async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message("m1", "arn:sweep"), message("m2", "arn:dispatcher")] })
      .resolves({ Messages: [] });
    const shown = await deadLetters(new SQSClient({ region: "eu-north-1" }), "https://q");
    expect(shown.map((d) => [d.messageId, d.target, d.error, d.attempts])).toEqual([
      ["m1", "arn:sweep", "Lambda.TooManyRequestsException", "3"],
      ["m2", "arn:dispatcher", "Lambda.TooManyRequestsException", "3"],
    ]);

    sqs.reset();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message("m1", "arn:sweep"), message("m2", "arn:dispatcher")] })
      .resolves({ Messages: [] });
    lambda.on(InvokeCommand, { FunctionName: "arn:sweep" }).resolves({ StatusCode: 200 });
    lambda.on(InvokeCommand, { FunctionName: "arn:dispatcher" }).resolves({ StatusCode: 200, FunctionError: "Unhandled" });
    const result = await redrive(
      new SQSClient({ region: "eu-north-1" }),
      new LambdaClient({ region: "eu-north-1" }),
      "https://q",
    );
    expect(result).toEqual({ redriven: 1, failed: [{ messageId: "m2", error: "Unhandled" }] });
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input.ReceiptHandle)).toEqual(["rh-m1"]);
  });
});

describe("elevvakt dlq, on the work queue's dead letters", () => {
  it("shows each failed municipality's work item, and moves them back to the work queue for the worker", async () => {
    const item = (id: string, kommunkod: string) => ({
      MessageId: id,
      ReceiptHandle: `rh-${id}`,
      Body: JSON.stringify({ job: "morning", kommunkod, now: "2026-09-14T04:30:00.000Z", sweep: true }),
    });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [item("w1", "0180"), item("w2", "0182")] })
      .resolves({ Messages: [] });
    const shown = await deadLetters(new SQSClient({ region: "eu-north-1" }), "https://work-dlq");
    expect(shown.map((d) => [d.messageId, d.target, d.work])).toEqual([
      ["w1", "work-queue", "morning 0180 (2026-09-14T04:30:00.000Z)"],
      ["w2", "work-queue", "morning 0182 (2026-09-14T04:30:00.000Z)"],
    ]);

    sqs.reset();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [item("w1", "0180"), item("w2", "0182")] })
      .resolves({ Messages: [] });
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { QueueArn: "arn:aws:sqs:eu-north-1:1:work-dlq" } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "t" });
    const result = await redrive(
      new SQSClient({ region: "eu-north-1" }),
      new LambdaClient({ region: "eu-north-1" }),
      "https://work-dlq",
    );
    expect(result).toEqual({ redriven: 2, failed: [] });
    // SQS moves them back to the queue they came from; nothing is invoked directly, nothing deleted by hand.
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]?.args[0].input).toEqual({
      SourceArn: "arn:aws:sqs:eu-north-1:1:work-dlq",
    });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });
});
