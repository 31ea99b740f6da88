/** bench/RESULTS.md from bench/results.json: every figure, and each target met or not. */
type Any = any;

const ok = (met: boolean) => (met ? "met" : "**not met**");

export function markdown(r: Any): string {
  const lines: string[] = [];
  lines.push("# Elevvakt benchmark results", "");
  lines.push(`Measured ${r.date} with \`npm run bench\`${r.quick ? " (BENCH_QUICK: smaller sizes, shorter runs)" : ""}.`);
  lines.push(
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGiB} GiB, ${r.machine.platform}. Node ${r.node}. ${r.dynamoDbLocal}.`,
    "",
    "Everything runs on one machine against DynamoDB Local, which is far slower than DynamoDB: read the ratios, not the absolute times.",
    "",
  );

  const s = r.sweep;
  if (s) {
    lines.push(`## Sweep scaling (as of ${s.asOf}, the fourth school day after höstlov)`, "");
    lines.push(
      "| pupils | in trouble | ours: first run (s) | items read | items written | ours: repeat run (s) | repeat items read | naive (s) | naive items read |",
    );
    lines.push("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const z of s.sizes) {
      lines.push(
        `| ${z.pupils} | ${z.inTrouble} | ${z.ours.first.seconds} | ${z.ours.first.itemsRead} | ${z.ours.first.itemsWritten} | ${z.ours.repeat.seconds} | ${z.ours.repeat.itemsRead} | ${z.naive.seconds} | ${z.naive.itemsRead} |`,
      );
    }
    if (s.ratios) {
      lines.push(
        "",
        `Large over small: ours ${s.ratios.oursLargeOverSmall}× (target ≤ 1.3: ${ok(s.ratios.oursLargeOverSmall <= 1.3)}), repeat run ${s.ratios.oursRepeatLargeOverSmall}×, items read ${s.ratios.itemsReadLargeOverSmall}× (target: independent of the total, ${ok(Math.abs(s.ratios.itemsReadLargeOverSmall - 1) < 0.05)}); the naive sweep ${s.ratios.naiveLargeOverSmall}×.`,
        "",
      );
    }
  }

  const c = r.country;
  if (c) {
    lines.push(
      `## Country: the morning run through the work queue (as of ${c.asOf}; ${c.pupilsPerMunicipality} pupils a municipality, ${c.inTroublePerMunicipality} in trouble)`,
      "",
      "The same kickoff and worker as in AWS, behind the in-process queue; each run on a freshly seeded table.",
      "",
    );
    lines.push(
      "| municipalities | concurrency | seconds | cases opened | failed | items read | items written | per municipality: read (min/median/max) | written (min/median/max) |",
    );
    lines.push("|---:|---:|---:|---:|---:|---:|---:|---|---|");
    const mmm = (x?: { min: number; median: number; max: number }) => (x ? `${x.min} / ${x.median} / ${x.max}` : "–");
    for (const x of c.runs) {
      lines.push(
        `| ${x.municipalities} | ${x.concurrency} | ${x.seconds} | ${x.opened} | ${x.failed} | ${x.total.read} | ${x.total.written} | ${mmm(x.perMunicipality?.read)} | ${mmm(x.perMunicipality?.written)} |`,
      );
    }
    const p = c.projection;
    lines.push(
      "",
      `A municipality's items do not depend on how many municipalities there are: read ${c.ratios.readPerMunicipalityLargeOverSmall}×, written ${c.ratios.writtenPerMunicipalityLargeOverSmall}× (many over few; target 1: ${ok(Math.abs(c.ratios.readPerMunicipalityLargeOverSmall - 1) < 0.05 && Math.abs(c.ratios.writtenPerMunicipalityLargeOverSmall - 1) < 0.05)}). Concurrency 8 over 1: ${c.ratios.speedupAt8}× faster (DynamoDB Local on two cores caps the gain).`,
      "",
      `Projection to ${p.assumptions.municipalities} municipalities and ${p.assumptions.pupils.toLocaleString("en")} pupils on DynamoDB, from the measured counts (the largest municipality ${p.assumptions.largestMunicipalityPupils.toLocaleString("en")} pupils; ${p.assumptions.msPerDynamoDbCall} ms a DynamoDB call; ${p.assumptions.workersAtOnce} municipalities at once, ${p.assumptions.atOncePerWorker} households at once in each; on-demand capacity):`,
      "",
      "| morning | in trouble | enrolments starting | items read | items written | calls | largest municipality (min) | whole run (min) | done by 07:00 |",
      "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    );
    for (const x of p.scenarios) {
      lines.push(
        `| ${x.name} | ${(x.inTroubleShare * 100).toFixed(1)} % | ${(x.enrolmentsStartingShare * 100).toFixed(0)} % | ${x.itemsRead.toLocaleString("en")} | ${x.itemsWritten.toLocaleString("en")} | ${x.calls.toLocaleString("en")} | ${x.largestMunicipalityMinutes} | ${x.wholeRunMinutes} | ${ok(x.wholeRunMinutes < 30)} |`,
      );
    }
    lines.push("");
  }

  const pop = r.population;
  if (pop) {
    lines.push("## A population-register batch", "");
    lines.push(
      `${pop.records} records in one request: new records ${pop.created.seconds} s (${JSON.stringify(pop.created.byStatus)}), the same batch again ${pop.again.seconds} s (${JSON.stringify(pop.again.byStatus)}); target ${pop.target}: ${ok(Math.max(pop.created.seconds, pop.again.seconds) < 20)}.`,
      "",
    );
  }

  const st = r.statistics;
  if (st) {
    lines.push(
      `## The statistics job (SPEC §9): ${st.pupils.toLocaleString("en")} pupils in ${st.schools} schools, a week into November`,
      "",
      `A term of absence loaded in bulk (${st.dayReports.toLocaleString("en")} day reports, ${st.loadSeconds} s). The job computes the autumn term${st.september ? " a week into September, October and November (as of 31 August, 30 September and 31 October, each publication kept and the next audited against the earlier ones)" : " as of 31 October"} (monthly publications: no care comparison, which is published for ended terms only), reading by municipality (its schools, each school's enrolments and day reports, the pupils by key, its cases); the same day again it reads one item per period. Read units are estimated from the items' sizes (4 KB a unit, consistent reads); cost at on-demand prices of $${st.prices.read} per million read and $${st.prices.write} per million write units.`,
      "",
      "| run | published | seconds | items read | read units | calls | items written | cost (USD) |",
      "|---|---|---:|---:|---:|---:|---:|---:|",
    );
    for (const [name, x] of [
      ...(st.september ? ([["8 September (as of 31 August)", st.september]] as const) : []),
      ...(st.october ? ([["8 October (as of 30 September)", st.october]] as const) : []),
      [st.september ? "8 November (as of 31 October)" : "a week into the month", st.first],
      ["again the same day", st.again],
    ] as const)
      lines.push(
        `| ${name} | ${x.published.join(", ") || "–"} | ${x.seconds} | ${x.itemsRead} | ${x.readUnits} | ${x.calls} | ${x.itemsWritten} | ${x.costUsd} |`,
      );
    lines.push(
      "",
      `Share with 50 % or more in the population: ${st.share50} %. The job runs every morning and computes only a week into a month and a week after a term ends; on other mornings it costs the last row.`,
      "",
    );
    if (st.audit)
      lines.push(
        `The audit against an intruder who knows the rule (issue 21), the November publication computed again from what the job read: ${st.audit.alone.seconds} s alone (${st.audit.alone.hidden} of ${st.audit.alone.cells} absence cells hidden), ${st.audit.withEarlier.seconds} s held with the term's ${st.audit.withEarlier.earlierPublications} earlier publications (${st.audit.withEarlier.hidden} hidden). Each publication writes one more item: the publication kept for good.`,
        "",
      );
  }

  const rc = r.reconsider;
  if (rc) {
    lines.push(
      `## A calendar put for a municipality of ${rc.pupils.toLocaleString("en")} pupils (SPEC §4 Time, rule 9)`,
      "",
      `A term of absence up to 6 November loaded in bulk (${rc.loadSeconds} s) before the municipality had a calendar; then the calendar is put and, as before the next sweep, the absence already reported is looked at again: one query of the municipality's pointers (pupils with absence in the last 60 days), the pupils read by key, each judged by the calendar and thresholds now in force. Never a scan.`,
      "",
      "| pupils with absence | put in the sweep's view | seconds | items read | read units | calls | items written |",
      "|---:|---:|---:|---:|---:|---:|---:|",
      `| ${rc.withAbsence} | ${rc.putInView} | ${rc.seconds} | ${rc.itemsRead} | ${rc.readUnits} | ${rc.calls} | ${rc.itemsWritten} |`,
      "",
    );
  }

  const web = r.web;
  if (web) {
    lines.push(`## The web app's pages (${web.openCases} open cases; ${web.runs} requests each through the web handler)`, "");
    lines.push("| page | median ms | p95 ms | HTML KB | gzip KB |");
    lines.push("|---|---:|---:|---:|---:|");
    for (const [name, x] of [
      ["my cases (/app/cases)", web.casesPage],
      ["the case page", web.casePage],
    ] as const) {
      lines.push(`| ${name} | ${x.medianMs} | ${x.p95Ms} | ${x.htmlKB} | ${x.gzipKB} |`);
    }
    lines.push(
      "",
      web.firstContentfulPaint.medianMs !== undefined
        ? `First contentful paint of the case page in headless Chromium (local server, median of ${web.firstContentfulPaint.runs}): ${web.firstContentfulPaint.medianMs} ms. My cases at 500 is dominated by its audit: one entry per pupil read (500 PutItems, which DynamoDB Local serves one at a time; the store writes 50 at once).`
        : `First contentful paint: ${web.firstContentfulPaint.skipped}.`,
      "",
    );
  }

  const i = r.ingest;
  if (i) {
    lines.push(
      `## Ingest (${i.seconds} s per run; API through the local server and the same handlers, raw = TransactWriteItems of the same items)`,
      "",
    );
    lines.push(
      "| endpoint | concurrency | API items/s | API req/s | p50 ms | p95 ms | p99 ms | errors | raw items/s | raw p95 ms | API/raw |",
    );
    lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const x of i.runs) {
      lines.push(
        `| ${x.endpoint} | ${x.concurrency} | ${x.api.itemsPerSecond} | ${x.api.requestsPerSecond} | ${x.api.p50} | ${x.api.p95} | ${x.api.p99} | ${x.api.errors} | ${x.raw.itemsPerSecond} | ${x.raw.p95} | ${x.ratio} (${ok(x.ratio >= 0.6)}) |`,
      );
    }
    lines.push("");
  }

  const b = r.bundles;
  if (b) {
    lines.push(
      `## Lambda bundles (esbuild as CDK bundles them; median of ${b.runs} fresh \`node\` processes importing each)`,
      "",
    );
    lines.push(
      "The AWS SDK is the Lambda runtime's (left out of the bundles; imported from node_modules here); each row's ratio is to an empty handler imported in turn with it; the last two columns build the same entry with the SDK bundled, as before, for comparison.",
      "",
    );
    lines.push(
      "| function | KB | import ms | × empty handler | size ≤ 700 KB | time ≤ 2.5× | KB, SDK bundled | import ms, SDK bundled |",
    );
    lines.push("|---|---:|---:|---:|---|---|---:|---:|");
    for (const f of b.functions) {
      lines.push(
        `| ${f.function} | ${f.kb} | ${f.importMs} | ${f.importOverEmpty} | ${ok(f.kb <= 700)} | ${ok(f.importOverEmpty <= 2.5)} | ${f.kbSdkBundled ?? "–"} | ${f.importMsSdkBundled ?? "–"} |`,
      );
    }
    lines.push("");
  }

  const d = r.dispatch;
  if (d) {
    lines.push("## Alert dispatch (outbox → stubbed SNS client)", "");
    lines.push("| notifications | sent | published | seconds | messages/s | DynamoDB calls | target ≥ 300/s |");
    lines.push("|---:|---:|---:|---:|---:|---:|---|");
    lines.push(
      `| ${d.notifications} | ${d.sent} | ${d.published} | ${d.seconds} | ${d.messagesPerSecond} | ${d.dynamoCalls} | ${ok(d.messagesPerSecond >= 300)} |`,
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}
