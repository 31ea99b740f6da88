/**
 * The fan-out (SPEC §10): the morning kickoff puts one work item per municipality on the queue, the
 * dispatcher one escalation item per municipality with open cases; the worker (the SQS consumer
 * Lambda, the same code locally behind an in-process queue) runs them, a failed one reported alone.
 * Against DynamoDB Local; SQS mocked at the edge.
 */
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeAll, describe, expect, it } from "vitest";
import { createWorker } from "../functions/worker.ts";
import { SqsWorkQueue } from "../shared/adapters/sqs.ts";
import { fixedClock } from "../shared/app/clock.ts";
import type { WorkItem, WorkQueue } from "../shared/app/ports.ts";
import {
  escalationKickoff,
  InProcessQueue,
  morningKickoff,
  parseWorkItem,
  runDailySweep,
  runWorkItem,
} from "../shared/jobs/jobs.ts";
import { api, jobs, municipalityFixture, pnr, runtime, setToday, store, useTable } from "./helpers.ts";

useTable();
let a: Awaited<ReturnType<typeof municipalityFixture>>;
let b: Awaited<ReturnType<typeof municipalityFixture>>;

/** A queue that only keeps what was sent. */
const collecting = (): WorkQueue & { items: WorkItem[] } => {
  const items: WorkItem[] = [];
  return { items, send: async (x) => void items.push(...x) };
};

beforeAll(async () => {
  setToday("2026-09-14");
  a = await municipalityFixture("0180");
  b = await municipalityFixture("0182");
  // An unplaced child in 0180: the sweep of 2026-09-14 opens a case there, none in 0182.
  await a.resident(pnr("2015-04-04"));
});

const sqsEvent = (bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `m-${i}`,
    receiptHandle: `r-${i}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "0",
      SenderId: "scheduler",
      ApproximateFirstReceiveTimestamp: "0",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:eu-north-1:1:work",
    awsRegion: "eu-north-1",
  })),
});

describe("fan-out per municipality (SPEC §10)", () => {
  it("puts one morning item per municipality on the queue: the daily job every day, the sweep on weekdays; and a statistics item each", async () => {
    const monday = collecting();
    expect(await morningKickoff(store(), monday, new Date("2026-09-14T04:30:00Z"))).toMatchObject({ today: "2026-09-14" });
    const mornings = (q: ReturnType<typeof collecting>) => q.items.filter((i) => i.job === "morning");
    expect(
      mornings(monday)
        .map((i) => i.kommunkod)
        .sort(),
    ).toEqual(["0180", "0182"]);
    expect(mornings(monday).every((i) => i.job === "morning" && i.sweep)).toBe(true);
    // The statistics job's items: one per municipality, every day (it computes only when a month or a term has ended).
    expect(
      monday.items
        .filter((i) => i.job === "statistics")
        .map((i) => i.kommunkod)
        .sort(),
    ).toEqual(["0180", "0182"]);
    const saturday = collecting();
    await morningKickoff(store(), saturday, new Date("2026-09-19T04:30:00Z"));
    expect(mornings(saturday)).toHaveLength(2);
    expect(mornings(saturday).every((i) => i.job === "morning" && !i.sweep)).toBe(true);
  });

  it("the worker takes one message per municipality; a message that fails is reported alone, and the others are done", async () => {
    const now = "2026-09-14T04:30:00.000Z";
    const worker = createWorker(runtime({ clock: fixedClock("2026-09-14") }));
    const out = await worker(
      sqsEvent([
        JSON.stringify({ job: "morning", kommunkod: "0180", now, sweep: true }),
        "{not json",
        JSON.stringify({ job: "morning", kommunkod: "0182", now, sweep: true }),
        JSON.stringify({ job: "drop_table", kommunkod: "0180", now }),
      ]),
    );
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: "m-1" }, { itemIdentifier: "m-3" }]);
    // Both municipalities' mornings ran: each one's job state says so; 0180's sweep opened its case.
    for (const kod of ["0180", "0182"]) expect((await store().jobState("sweep", kod))?.lastDate).toBe("2026-09-14");
    expect(await store().hasOpenCases("0180")).toBe(true);
    expect(await store().hasOpenCases("0182")).toBe(false);
    // Taken again (SQS delivers at least once), the same message changes nothing.
    const before = await store().caseIdsOf("municipality:0180", {});
    await worker(sqsEvent([JSON.stringify({ job: "morning", kommunkod: "0180", now, sweep: true })]));
    expect(await store().caseIdsOf("municipality:0180", {})).toEqual(before);
  });

  it("an item taken late does the day it is taken, and a sweep's last day never moves back", async () => {
    // Queued on Monday 14 September, taken (retried, or moved back from the dead-letter queue) on Wednesday 16.
    const late = createWorker(runtime({ clock: fixedClock("2026-09-16") }));
    const monday = JSON.stringify({ job: "morning", kommunkod: "0182", now: "2026-09-14T04:30:00.000Z", sweep: true });
    expect((await late(sqsEvent([monday]))).batchItemFailures).toEqual([]);
    expect((await store().jobState("sweep", "0182"))?.lastDate).toBe("2026-09-16");
    expect((await store().jobState("daily", "0182"))?.lastDate).toBe("2026-09-16");
    // A worker whose clock is behind (an old item replayed by hand, say) leaves the later day standing.
    await createWorker(runtime({ clock: fixedClock("2026-09-15") }))(sqsEvent([monday]));
    expect((await store().jobState("sweep", "0182"))?.lastDate).toBe("2026-09-16");
    // Queued on a Saturday (no sweep), taken on a Monday: the Monday sweeps.
    const saturday = JSON.stringify({ job: "morning", kommunkod: "0182", now: "2026-09-19T04:30:00.000Z", sweep: false });
    await createWorker(runtime({ clock: fixedClock("2026-09-21") }))(sqsEvent([saturday]));
    expect((await store().jobState("sweep", "0182"))?.lastDate).toBe("2026-09-21");
  });

  it("escalates only where cases are open", async () => {
    const q = collecting();
    expect(await escalationKickoff(store(), q, new Date("2026-09-15T08:00:00Z"))).toBe(1);
    expect(q.items).toEqual([{ job: "escalate", kommunkod: "0180", now: "2026-09-15T08:00:00.000Z" }]);
  });

  it("one municipality's failure holds up no other: the in-process queue runs the rest", async () => {
    const ran: string[] = [];
    const queue = new InProcessQueue(
      async (item) => {
        if (item.job !== "morning") return { kommunkod: item.kommunkod };
        if (item.kommunkod === "0180") throw new Error("boom");
        ran.push(item.kommunkod);
        return runWorkItem(jobs(), item);
      },
      jobs(),
      2,
    );
    await morningKickoff(store(), queue, new Date("2026-09-16T04:30:00Z"));
    const outcomes = await queue.drain();
    expect(ran).toEqual(["0182"]);
    expect(outcomes.map((o) => o.kommunkod).sort()).toEqual(["0180", "0182", "0182"]);
    // The failed one catches up the next morning: its daily job runs from its last completed day.
    const next = await runDailySweep(jobs(), new Date("2026-09-17T04:30:00Z"), { municipalities: ["0180"] });
    expect(next.sweeps["0180"]?.asOf).toBe("2026-09-17");
  });

  it("refuses a message that is not a work item", () => {
    expect(() => parseWorkItem(JSON.stringify({ job: "morning", kommunkod: "0180", now: "x", sweep: true }))).toThrow();
    expect(() =>
      parseWorkItem(JSON.stringify({ job: "morning", kommunkod: "180", now: "2026-09-14T04:30:00Z", sweep: true })),
    ).toThrow();
    expect(() => parseWorkItem(JSON.stringify({ job: "morning", kommunkod: "0180", now: "2026-09-14T04:30:00Z" }))).toThrow();
    expect(parseWorkItem(JSON.stringify({ job: "escalate", kommunkod: "0180", now: "2026-09-14T04:30:00Z", extra: 1 }))).toEqual({
      job: "escalate",
      kommunkod: "0180",
      now: "2026-09-14T04:30:00Z",
    });
  });

  it("sends to SQS ten at a time, again what SQS refused, and fails the run when it refuses twice more", async () => {
    const sqs = mockClient(SQSClient);
    try {
      let call = 0;
      sqs.on(SendMessageBatchCommand).callsFake(async (input: { Entries: { Id: string }[] }) => {
        call++;
        // The first batch loses one entry once.
        return call === 1 ? { Successful: [], Failed: [{ Id: input.Entries[3]?.Id, Code: "x", SenderFault: false }] } : {};
      });
      const items: WorkItem[] = Array.from({ length: 23 }, (_, i) => ({
        job: "escalate",
        kommunkod: String(1000 + i),
        now: "2026-09-14T04:30:00Z",
      }));
      await new SqsWorkQueue("https://sqs.eu-north-1.amazonaws.com/1/work", new SQSClient({ region: "eu-north-1" })).send(items);
      const sent = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries ?? []);
      expect(sent.map((e) => e.length)).toEqual([10, 1, 10, 3]);
      expect(sent[1]?.[0]?.Id).toBe(sent[0]?.[3]?.Id);
      expect(sent.flat().map((e) => JSON.parse(e.MessageBody ?? "{}").kommunkod)).toContain("1022");

      sqs.reset();
      sqs.on(SendMessageBatchCommand).callsFake(async (input: { Entries: { Id: string }[] }) => ({
        Failed: [{ Id: input.Entries[0]?.Id, Code: "x", SenderFault: false }],
      }));
      await expect(
        new SqsWorkQueue("https://sqs.eu-north-1.amazonaws.com/1/work", new SQSClient({ region: "eu-north-1" })).send(
          items.slice(0, 2),
        ),
      ).rejects.toThrow(/could not be queued/);
    } finally {
      sqs.restore();
    }
  });
});

describe("the local runtime", () => {
  it("runs the same worker behind the in-process queue: a morning run opens what the API's sweep would", async () => {
    setToday("2026-09-21");
    const p = await b.resident(pnr("2015-05-05"));
    const run = await runDailySweep(jobs(), new Date("2026-09-21T04:30:00Z"), { municipalities: ["0182"] });
    expect(run.sweeps["0182"]?.opened.unplaced).toBe(1);
    const cases = await api("GET", "/v1/cases", { key: b.muni });
    expect(cases.body.items.some((c: { pupilId: string }) => c.pupilId === p)).toBe(true);
  });
});
