/**
 * The DynamoDB adapter of the `Store` port, in the domain's words: the only code that knows the
 * table (with table.ts and keys.ts). Every change of a pupil's placement is one
 * `TransactWriteItems` conditioned on the pupil record's version, so concurrent requests cannot
 * both win; the loser re-reads and decides again.
 *
 * It is built in slices, one per capability's ports, each on the one before:
 * records.ts (audit, outbox, idempotency) → reference.ts (schools, calendars, settings, overrides)
 * → people.ts (contacts, topics, sessions, credentials) → pupils.ts (the pupil, the agenda, seeds)
 * → absence.ts (enrolments, absence, statistics, exports) → cases.ts (cases). This class is their sum.
 */
import type { Store } from "../../app/ports.ts";
import { CaseTable } from "./cases.ts";

export { AUDIT_TABLE_NAME_ENV, TABLE_NAME_ENV } from "./keys.ts";
export { ConcurrentChange, documentClient, strip } from "./table.ts";

export class DynamoStore extends CaseTable implements Store {}
