/** The whole store (what the DynamoDB adapter implements) and the narrow view a notifier takes. */
import type { AuditStore, CaseStore, OutboxStore, StatisticsStore } from "./cases.ts";
import type { IdempotencyStore, PeopleStore } from "./people.ts";
import type { PlacementStore, PupilStore, ReferenceStore, ScheduleStore, SeedStore, Transactions } from "./pupils.ts";

/**
 * The whole store, as the DynamoDB adapter implements it and a composition root hands it in. A use
 * case takes the narrow ports it needs (one or a few of the above), never this.
 */
export interface Store
  extends Transactions,
    PupilStore,
    PlacementStore,
    ReferenceStore,
    ScheduleStore,
    CaseStore,
    OutboxStore,
    PeopleStore,
    AuditStore,
    StatisticsStore,
    IdempotencyStore,
    SeedStore {}

/** What a notifier reads and keeps: the contacts it sends to, the groups' e-mail topics. */
export type TopicStore = Pick<OutboxStore, "emailTopic" | "saveEmailTopic"> & Pick<PeopleStore, "getContact" | "contactsOf">;
