/** What a sweep did, as an operator reads it in a terminal (`elevvakt sweep`; --json keeps the summary as it is). */
import type { SweepSummary } from "../shared/watch/sweep.ts";

type Counts = SweepSummary["opened"];

const total = (c: Counts) => Object.values(c).reduce((a: number, n) => a + (n ?? 0), 0);

/** "3 (not_returned 2, long_absence 1)", or "0". */
function counted(c: Counts): string {
  const kinds = Object.entries(c).filter(([, n]) => n);
  return kinds.length ? `${total(c)} (${kinds.map(([k, n]) => `${k} ${n}`).join(", ")})` : "0";
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A few lines per municipality: what opened, escalated, resolved and reopened, what was queued, what failed. */
export function sweepText(kommunkod: string, s: SweepSummary): string {
  const read = `read ${plural(s.read.candidates, "candidate", "candidates")} and ${plural(s.read.openCases, "open case", "open cases")}`;
  if (s.preview) {
    const wouldOpen: Counts = {};
    for (const w of s.wouldOpen ?? []) wouldOpen[w.kind] = (wouldOpen[w.kind] ?? 0) + 1;
    return [
      `municipality ${kommunkod}, ${s.asOf} (a preview: nothing was written or sent)`,
      `  would open ${counted(wouldOpen)}`,
      `  ${read}`,
    ].join("\n");
  }
  return [
    `municipality ${kommunkod}, ${s.asOf}`,
    `  opened ${counted(s.opened)}`,
    `  escalated ${counted(s.escalated)}`,
    `  resolved ${counted(s.resolved)}`,
    `  reopened ${counted(s.reopened)}`,
    `  ${plural(s.notificationsQueued, "notification", "notifications")} queued; ${read}`,
    ...(s.failed ? [`  ${plural(s.failed, "household", "households")} failed (logged; the next run takes them again)`] : []),
  ].join("\n");
}
