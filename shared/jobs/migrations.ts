/**
 * One-time migrations of what an older version wrote, run by the operator after a deploy
 * (`npx elevvakt migrate`): they scan the table, so no request or schedule runs them. Resumable
 * (where one got to is kept under `JOB / migration#<name>`), idempotent (a page read twice writes the
 * same items), and bounded in time when a budget is given.
 *
 * - `flag-pointers`: social services' list of flagged children reads a pointer per child under the
 *   municipality; children flagged before the pointer was written (eb45701) had none and were left
 *   off the list. Each flagged pupil gets one under their home municipality.
 */
import type { MigrationStore, ScheduleStore } from "../app/ports.ts";
import type { IsoDate } from "../domain/dates.ts";

export interface MigrationRun {
  name: string;
  /** True once the whole table has been read; from then on the migration does nothing. */
  done: boolean;
  written: number;
  /** The run failed (the operator runs it again: `npx elevvakt migrate`). */
  failed?: boolean;
}

/** Scan pages read per step (1 MB each at most); a step's cursor is kept before the next. */
const PAGES_PER_STEP = 10;

/**
 * Runs each migration not yet done, step by step, until done or `budgetMs` is spent (the operator's
 * `npx elevvakt migrate` gives it no limit). What a migration reached is kept after every step, so
 * a second run goes on from there.
 */
export async function runMigrations(
  jobs: Pick<ScheduleStore, "jobState" | "setJobState">,
  scan: MigrationStore,
  today: IsoDate,
  budgetMs = 60_000,
  pagesPerStep = PAGES_PER_STEP,
  pageSize?: number,
): Promise<MigrationRun[]> {
  const until = Date.now() + budgetMs;
  const name = "flag-pointers";
  const state = await jobs.jobState("migration", name);
  if (state?.done) return [{ name, done: true, written: 0 }];
  let cursor = state?.cursor;
  let written = 0;
  do {
    const step = await scan.backfillFlagPointers(cursor, pagesPerStep, pageSize);
    written += step.written;
    cursor = step.cursor;
    await jobs.setJobState("migration", name, today, cursor ? { cursor } : { done: true });
  } while (cursor && Date.now() < until);
  return [{ name, done: !cursor, written }];
}
