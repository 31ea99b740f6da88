/**
 * The ports the application works through, in the domain's words. The DynamoDB adapter
 * (`adapters/dynamodb/store.ts`) implements `Store`; the SNS and console adapters
 * (`adapters/notify.ts`) implement `Notifier`. Use cases, jobs and route handlers know these
 * interfaces only: how a pupil, a case or a notification is kept is the adapter's business.
 *
 * The store is split by capability (ports/pupils.ts, cases.ts, people.ts; no port over 25 members,
 * test/architecture.test.ts): a use case takes the ports it needs, and `Store` is only their sum, for
 * the adapter and the composition roots. The runtime's ports (log, metrics, files, settings) are in
 * ports/runtime.ts.
 */
export * from "./ports/cases.ts";
export * from "./ports/people.ts";
export * from "./ports/pupils.ts";
export * from "./ports/records.ts";
export * from "./ports/runtime.ts";
export * from "./ports/store.ts";
