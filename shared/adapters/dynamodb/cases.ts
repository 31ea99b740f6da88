import type { CaseStore, Write } from "../../app/ports.ts";
import type { Notification } from "../../domain/alerts.ts";
import { caseScopes } from "../../domain/cases.ts";
import type { IsoDate } from "../../domain/dates.ts";
import type { Case, CaseOutcome, ChecklistItem, JournalEntry } from "../../domain/model.ts";
import { AbsenceTable } from "./absence.ts";
import { keys } from "./keys.ts";
import { asWrite, asWrites, type Item, strip, type TransactItem } from "./table.ts";

export class CaseTable extends AbsenceTable implements CaseStore {
  // ---- cases -----------------------------------------------------------------------------------

  getCase(caseId: string): Promise<Case | undefined> {
    return this.get<Case>(keys.case(caseId));
  }

  /** Opens a case unless this episode's case already exists (deterministic id), with a pointer for each scope that may list it. */
  caseOpenWrites(c: Case): Write[] {
    return asWrites([
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.case(c.caseId),
            entity: "case",
            ...c,
            gsi1pk: keys.pupilCases(c.pupilId),
            gsi1sk: `${c.kind}#${c.episodeStart}`,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      ...this.pointerMoves(c.caseId, caseScopes(c), null, true, c.severity),
    ]);
  }

  /** Resolves a case that is not resolved yet, and moves its scope pointers from open to closed. */
  caseResolveWrites(
    c: Pick<Case, "caseId" | "schoolIds" | "municipalities" | "district">,
    r: {
      outcome: CaseOutcome;
      note: string;
      now: string;
      today: IsoDate;
      by: string;
      byContact: string;
      answeredOn?: IsoDate | undefined;
    },
  ): Write[] {
    return asWrites([
      {
        Update: {
          TableName: this.table,
          Key: keys.case(c.caseId),
          UpdateExpression: `SET #s = :resolved, outcome = :o, outcomeNote = :n, resolvedAt = :t, resolvedOn = :d, resolvedBy = :b, resolvedByContact = :bc${
            r.answeredOn ? ", answeredOn = :a" : " REMOVE answeredOn"
          }`,
          ConditionExpression: "attribute_exists(pk) AND #s <> :resolved",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: {
            ":resolved": "resolved",
            ":o": r.outcome,
            ":n": r.note,
            ":t": r.now,
            ":d": r.today,
            ":b": r.by,
            ":bc": r.byContact,
            ...(r.answeredOn ? { ":a": r.answeredOn } : {}),
          },
        },
      },
      ...this.pointerMoves(c.caseId, caseScopes(c), true, false),
    ]);
  }

  /**
   * A case's scope pointers moved between open and closed (null: none before, or none after). An open
   * pointer carries the case's severity, so an office counts its open and high cases from its pointers
   * alone (the overview); a pointer written before that carries none, and its case is read instead.
   */
  protected pointerMoves(
    caseId: string,
    scopes: string[],
    from: boolean | null,
    to: boolean | null,
    severity?: Case["severity"],
  ): TransactItem[] {
    return scopes.flatMap((scope) => [
      ...(from === null ? [] : [{ Delete: { TableName: this.table, Key: keys.caseScope(scope, from, caseId) } }]),
      ...(to === null
        ? []
        : [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.caseScope(scope, to, caseId),
                  entity: "caseScope",
                  caseId,
                  ...(to && severity ? { severity } : {}),
                },
              },
            },
          ]),
    ]);
  }

  /** A case raised to high: its open pointers say so (written with `caseStepsWrite`, in the same transaction). */
  casePointersRaisedWrites(c: Case): Write[] {
    return asWrites(c.status === "resolved" ? [] : this.pointerMoves(c.caseId, caseScopes(c), null, true, "high"));
  }

  /** The open cases a scope may list, by pointer: each case's id and, where the pointer carries it, its severity. */
  async openCasePointers(scope: string): Promise<{ caseId: string; severity?: Case["severity"] }[]> {
    return (
      await this.queryAll<{ caseId: string; severity?: Case["severity"] }>(null, keys.scopeCases(scope), { skPrefix: "open#" })
    ).items.map((p) => ({ caseId: p.caseId, ...(p.severity ? { severity: p.severity } : {}) }));
  }

  /** Records alert steps on an open case (and raises it to high), conditioned on the version read. */
  caseStepsWrite(c: Case, steps: string[], raise: boolean): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.case(c.caseId),
        UpdateExpression: `SET steps = list_append(steps, :steps), version = version + :one${raise ? ", severity = :high" : ""}`,
        ConditionExpression: "version = :v AND #s <> :resolved",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: {
          ":steps": steps,
          ":one": 1,
          ":v": c.version,
          ":resolved": "resolved",
          ...(raise ? { ":high": "high" } : {}),
        },
      },
    });
  }

  /** Opens again a case the data had resolved: same id, pointers back to open. */
  caseReopenWrites(c: Case, next: Case, steps: string[], now: string): Write[] {
    const scopes = caseScopes(next);
    return asWrites([
      {
        Update: {
          TableName: this.table,
          Key: keys.case(c.caseId),
          UpdateExpression:
            "SET #s = :open, severity = :sev, reopenedAt = :t, steps = list_append(steps, :step), version = version + :one, " +
            "municipalities = :m, district = :d, formerScopes = :f " +
            "REMOVE outcome, outcomeNote, resolvedAt, resolvedOn, resolvedBy, resolvedByContact, answeredOn, acknowledgedAt, acknowledgedBy, acknowledgedByContact",
          ConditionExpression: "#s = :resolved",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: {
            ":open": "open",
            ":resolved": "resolved",
            ":sev": next.severity,
            ":t": now,
            ":step": steps,
            ":one": 1,
            ":m": next.municipalities,
            ":d": next.district ?? null,
            ":f": next.formerScopes ?? [],
          },
        },
      },
      // The scopes it keeps move their pointer back to open; a scope it left keeps its closed one.
      ...this.pointerMoves(
        c.caseId,
        scopes.filter((x) => caseScopes(c).includes(x)),
        false,
        true,
        next.severity,
      ),
      ...this.pointerMoves(
        c.caseId,
        scopes.filter((x) => !caseScopes(c).includes(x)),
        null,
        true,
        next.severity,
      ),
    ]);
  }

  /** Moves a case to the pupil's new home (rule 6): the new scopes list it, the former ones keep a closed pointer. */
  caseMoveWrites(c: Case, moved: Case, former: string[], added: string[]): Write[] {
    const open = c.status !== "resolved";
    return asWrites([
      {
        Update: {
          TableName: this.table,
          Key: keys.case(c.caseId),
          UpdateExpression: "SET schoolIds = :s, municipalities = :m, district = :d, formerScopes = :f, version = version + :one",
          ConditionExpression: "version = :v",
          ExpressionAttributeValues: {
            ":s": moved.schoolIds,
            ":m": moved.municipalities,
            ":d": moved.district ?? null,
            ":f": moved.formerScopes ?? [],
            ":one": 1,
            ":v": c.version,
          },
        },
      },
      ...this.pointerMoves(c.caseId, former, open, false),
      ...this.pointerMoves(c.caseId, added, null, open, moved.severity),
    ]);
  }

  async getCases(ids: string[]): Promise<Case[]> {
    return this.batchGet<Case>([...new Set(ids)].map((id) => keys.case(id)));
  }

  // ---- cases, as case workers see them -------------------------------------------------------

  /** A case whole in one query: the case, its journal (oldest first) and its notifications. */
  async caseWhole(caseId: string): Promise<{ c?: Case; journal: JournalEntry[]; notifications: Notification[] }> {
    const all = (await this.queryAll<Item>(null, keys.case(caseId).pk, { raw: true })).items;
    const of = <T>(entity: string) => all.filter((i) => i.entity === entity).map((i) => strip<T>(i) as T);
    const c = of<Case>("case")[0];
    return {
      ...(c ? { c } : {}),
      journal: of<JournalEntry>("journal").sort((a, b) => a.at.localeCompare(b.at)),
      notifications: of<Notification>("notification").sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    };
  }

  /** A page of the cases a scope may list (open, closed, or both), by id. */
  async caseIdsOf(
    scope: string,
    opts: { status?: "open" | "closed"; limit?: number; cursor?: string },
  ): Promise<{ caseIds: string[]; cursor?: string }> {
    const page = await this.queryAll<{ caseId: string }>(null, keys.scopeCases(scope), {
      ...(opts.status ? { skPrefix: `${opts.status}#` } : {}),
      ...(opts.limit ? { limit: opts.limit } : {}),
      ...(opts.cursor ? { cursor: opts.cursor } : {}),
    });
    return { caseIds: page.items.map((p) => p.caseId), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }

  /** The open cases a municipality's office works (the sweep's second read). */
  async openCasesOf(kommunkod: string): Promise<Case[]> {
    return this.getCases((await this.caseIdsOf(`municipality:${kommunkod}`, { status: "open" })).caseIds);
  }

  /** Whether any case is open in the municipality (escalation runs only where one is). */
  async hasOpenCases(kommunkod: string): Promise<boolean> {
    return (await this.caseIdsOf(`municipality:${kommunkod}`, { status: "open", limit: 1 })).caseIds.length > 0;
  }

  /** A case acknowledged by someone: from open only. */
  caseAcknowledgedWrite(caseId: string, at: string, by: string, byContact: string): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.case(caseId),
        UpdateExpression:
          "SET #s = :ack, acknowledgedAt = :t, acknowledgedBy = :b, acknowledgedByContact = :bc, version = version + :one",
        ConditionExpression: "#s = :open",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":ack": "acknowledged", ":open": "open", ":t": at, ":b": by, ":bc": byContact, ":one": 1 },
      },
    });
  }

  /** An entry appended to a case's journal. */
  journalWrite(caseId: string, entry: JournalEntry): Write {
    return asWrite({
      Put: { TableName: this.table, Item: { ...keys.journal(caseId, entry.at, entry.entryId), entity: "journal", ...entry } },
    });
  }

  /** One checklist item of a case replaced, conditioned on the version read. */
  checklistWrite(c: Pick<Case, "caseId" | "version">, index: number, item: ChecklistItem): Write {
    return asWrite({
      Update: {
        TableName: this.table,
        Key: keys.case(c.caseId),
        UpdateExpression: `SET checklist[${index}] = :item, version = version + :one`,
        ConditionExpression: "version = :v",
        ExpressionAttributeValues: { ":item": item, ":one": 1, ":v": c.version },
      },
    });
  }
}
