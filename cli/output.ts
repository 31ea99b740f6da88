/** What the CLI says: a refusal in one line (no stack trace), an import's progress and summary. */

export function fail(message: string): never {
  console.error(`elevvakt: ${message}`);
  process.exit(2);
}

export function progress(done: number, total: number) {
  process.stderr.write(`\r  ${done}/${total} rows`);
  if (done === total) process.stderr.write("\n");
}

export function summary(created: number, updated: number, rejected: { line: number; reason: string }[], unchanged = 0) {
  console.log(
    `created ${created}, updated ${updated}, ${unchanged ? `unchanged ${unchanged}, ` : ""}rejected ${rejected.length}`,
  );
  for (const r of rejected) console.log(`  line ${r.line}: ${r.reason}`);
  if (rejected.length) process.exitCode = 1;
}

export const problemText = (p: { detail?: string; errors?: { path: string; message: string }[] } | undefined) =>
  p?.errors?.map((e) => `${e.path} ${e.message}`).join("; ") || p?.detail || "rejected";
