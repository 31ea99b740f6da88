/**
 * The table's key design, declared once: CDK, the local runtime and the tests create the table from
 * `tableDefinition`, and every item's keys are built by the functions below.
 *
 * One table. `pk`/`sk` address items; two overloaded global secondary indexes:
 * - gsi1 — lists: a school's enrolments, a household's pupils, a scope's contacts, a
 *   municipality's schools, a pupil's cases, and the outbox (undelivered notifications by due time).
 * - trouble — sparse: only pupils whose placement today is `unplaced` or `pending_release`, or
 *   whose absence made them sweep candidates (`absence`), keyed by home municipality (else the
 *   school's), so sweeps and the unplaced list read only pupils in trouble.
 * Other lists live in the main index: a case with its journal and notifications (`CASE#`), the
 * cases a scope may list (`CASESCOPE#`), date-driven changes due on a day (`AGENDA#`).
 */
export const TABLE_NAME_ENV = "TABLE_NAME";

/**
 * The audit trail lives in a table of its own, to which the functions may only append (PutItem):
 * no role can change or delete an entry. Locally it is the main table's name with `-audit`.
 */
export const AUDIT_TABLE_NAME_ENV = "AUDIT_TABLE_NAME";
export const auditTableName = (table: string) => `${table}-audit`;
export const auditTableDefinition = { partitionKey: "pk", sortKey: "sk" } as const;

export const tableDefinition = {
  partitionKey: "pk",
  sortKey: "sk",
  timeToLiveAttribute: "ttl",
  indexes: [
    { indexName: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    { indexName: "trouble", partitionKey: "troublePk", sortKey: "troubleSk" },
  ],
} as const;

/** The partition-key prefixes of the only items the application deletes (IAM allows no other delete). */
export const DELETABLE = {
  idempotency: "IDEMPOTENCY#",
  caseScope: "CASESCOPE#",
  /** A pupil's absence on a day, taken back by the school's next report of that day. */
  pupilAbsence: "PUPIL#",
  /** A web session, ended at sign-out. */
  session: "SESSION#",
} as const;

export type IndexName = (typeof tableDefinition.indexes)[number]["indexName"];
export type JobName = "daily" | "sweep" | "config" | "reconsidered" | "migration";

export const keys = {
  pupil: (pupilId: string) => ({ pk: `PUPIL#${pupilId}`, sk: "PROFILE" }),
  /** Personnummer → pupilId; the key holds a keyed hash, never the number itself. */
  personnummer: (pnrHash: string) => ({ pk: `PNR#${pnrHash}`, sk: "PNR" }),
  /** A household as one municipality's register names it: two registers' ids never meet. */
  household: (kommunkod: string, householdId: string) => `HOUSEHOLD#${kommunkod}#${householdId}`,
  trouble: (kommunkod: string) => `TROUBLE#${kommunkod}`,

  enrolment: (pupilId: string, enrolmentId: string) => ({ pk: `PUPIL#${pupilId}`, sk: `ENR#${enrolmentId}` }),
  schoolEnrolments: (schoolId: string) => `SCHOOL#${schoolId}#ENR`,

  absence: (pupilId: string, date: string) => ({ pk: `PUPIL#${pupilId}`, sk: `ABS#${date}` }),
  /** What a school reported for one day: the set it replaces when it reports again. */
  absenceReport: (schoolId: string, date: string) => ({ pk: `SCHOOL#${schoolId}`, sk: `ABSREPORT#${date}` }),
  /** The days of a school year a school has filed its absence report for (one small item a year). */
  filedDays: (schoolId: string, schoolYear: string) => ({ pk: `SCHOOL#${schoolId}`, sk: `FILED#${schoolYear}` }),

  school: (schoolId: string) => ({ pk: `SCHOOL#${schoolId}`, sk: "SCHOOL" }),
  /** The pupils a municipality's social services placed in care (a pointer each, the pupil's id only), for the statistics job. */
  carePupil: (kommunkod: string, pupilId: string) => ({ pk: `MUNI#${kommunkod}`, sk: `CARE#${pupilId}` }),
  carePupils: (kommunkod: string) => ({ pk: `MUNI#${kommunkod}`, skPrefix: "CARE#" }),
  /** The pupils a municipality's social services flagged (a pointer each, the pupil's id only), for their list. */
  flagPupil: (kommunkod: string, pupilId: string) => ({ pk: `MUNI#${kommunkod}`, sk: `FLAG#${pupilId}` }),
  flagPupils: (kommunkod: string) => ({ pk: `MUNI#${kommunkod}`, skPrefix: "FLAG#" }),
  /** Published statistics (SPEC §9): one item per municipality, kind and period, as the job computed it. */
  statistics: (kommunkod: string, kind: "absence" | "care", period: string) => ({
    pk: `STATS#${kommunkod}`,
    sk: `${kind}#${period}`,
  }),
  /** A term's absence figures as published on one day, kept for good (never served; the job's audit reads them). */
  publication: (kommunkod: string, period: string, asOf: string) => ({
    pk: `STATS#${kommunkod}`,
    sk: `published#${period}@${asOf}`,
  }),
  publications: (kommunkod: string, period: string) => ({ pk: `STATS#${kommunkod}`, skPrefix: `published#${period}@` }),
  /** An export's file and who may fetch it (SPEC §9), for a short while. */
  exportJob: (exportId: string) => ({ pk: `EXPORT#${exportId}`, sk: "EXPORT" }),
  municipalitySchools: (kommunkod: string) => `MUNI#${kommunkod}#SCHOOLS`,
  calendar: (owner: `MUNI#${string}` | `SCHOOL#${string}`, schoolYear: string) => ({
    pk: `CAL#${owner}`,
    sk: `YEAR#${schoolYear}`,
  }),
  municipalitySettings: (kommunkod: string) => ({ pk: `MUNI#${kommunkod}`, sk: "SETTINGS" }),
  /** The names a municipality gave its districts (stadsdelsområden), for pages to say instead of their ids. */
  municipalityDistricts: (kommunkod: string) => ({ pk: `MUNI#${kommunkod}`, sk: "DISTRICTS" }),
  municipalities: "MUNICIPALITIES",
  municipality: (kommunkod: string) => ({ pk: "MUNICIPALITIES", sk: kommunkod }),

  contact: (contactId: string) => ({ pk: `CONTACT#${contactId}`, sk: "CONTACT" }),
  scopeContacts: (scope: string) => `CONTACTS#${scope}`,
  /** Which contacts an office registered: one pointer each under its municipality (the contact's id, nothing else). */
  municipalityContact: (kommunkod: string, contactId: string) => ({ pk: `MUNI#${kommunkod}`, sk: `CONTACT#${contactId}` }),
  municipalityContacts: (kommunkod: string) => ({ pk: `MUNI#${kommunkod}`, skPrefix: "CONTACT#" }),
  /** Which contacts an e-mail address is (a person signing in): one pointer each, checked against the contact. */
  personContact: (email: string, contactId: string) => ({ pk: `PERSON#${email.toLowerCase()}`, sk: `CONTACT#${contactId}` }),
  personContacts: (email: string) => ({ pk: `PERSON#${email.toLowerCase()}`, skPrefix: "CONTACT#" }),
  /** A person's session in the web app, by a hash of the cookie's random id (expires by TTL). */
  session: (idHash: string) => ({ pk: `${DELETABLE.session}${idHash}`, sk: "SESSION" }),

  credential: (credentialId: string) => ({ pk: `CRED#${credentialId}`, sk: "CRED" }),
  /** Every credential's metadata, listed by municipality (gsi1, sorted `<kommunkod>#<credentialId>`). */
  credentials: "CREDS",

  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: "CASE" }),
  pupilCases: (pupilId: string) => `PUPIL#${pupilId}#CASES`,

  override: (kommunkod: string, overrideId: string) => ({ pk: `MUNI#${kommunkod}`, sk: `OVERRIDE#${overrideId}` }),
  /** A municipality's overrides: one query of its partition. */
  overrides: (kommunkod: string) => ({ pk: `MUNI#${kommunkod}`, skPrefix: "OVERRIDE#" }),

  /** A notification lives beside what it reports (a case, or a transfer notice), so one query reads a case whole. */
  notification: (n: { caseId?: string | undefined; noticeRef?: string | undefined; notificationId: string }) => ({
    pk: n.caseId ? `CASE#${n.caseId}` : `NOTICE#${n.noticeRef}`,
    sk: `NOTIF#${n.notificationId}`,
  }),
  notice: (ref: string) => `NOTICE#${ref}`,
  /** The outbox: only undelivered notifications are in it, sorted by when they are next due. */
  outboxPending: "OUTBOX#PENDING",
  journal: (caseId: string, at: string, id: string) => ({ pk: `CASE#${caseId}`, sk: `JOURNAL#${at}#${id}` }),
  /** Who may list a case: one pointer per scope (school, municipality, district), open or closed. */
  caseScope: (scope: string, open: boolean, caseId: string) => ({
    pk: `${DELETABLE.caseScope}${scope}`,
    sk: `${open ? "open" : "closed"}#${caseId}`,
  }),
  scopeCases: (scope: string) => `${DELETABLE.caseScope}${scope}`,
  /** Date-driven changes (an enrolment starts or ends, a child reaches or leaves compulsory age) due on a date, per municipality. */
  agendaDay: (kommunkod: string, date: string) => `AGENDA#${kommunkod}#${date}`,
  agenda: (kommunkod: string, date: string, pupilId: string, reason: string) => ({
    pk: `AGENDA#${kommunkod}#${date}`,
    sk: `${pupilId}#${reason}`,
  }),
  /**
   * Where a scheduled job (the daily job, the sweep) got to, per municipality; when its calendars or
   * thresholds last changed (`config`), and when the absence already reported was last looked at
   * again for it (`reconsidered`).
   */
  jobState: (job: JobName, kommunkod: string) => ({ pk: "JOB", sk: `${job}#${kommunkod}` }),
  /**
   * A pupil with absence reported lately, under the municipalities that decide about it (home and
   * school): what a changed calendar or threshold is applied to (SPEC §4 Time, rule 9), by a query.
   */
  absent: (kommunkod: string, pupilId: string) => ({ pk: `ABSENT#${kommunkod}`, sk: pupilId }),
  absentIn: (kommunkod: string) => `ABSENT#${kommunkod}`,
  /** Email topic of a recipient group (scope and role), created when its first contact is registered. */
  topic: (scope: string, role: string) => ({ pk: "TOPIC", sk: `${scope}#${role}` }),

  audit: (subject: string, at: string, id: string) => ({ pk: `AUDIT#${subject}`, sk: `${at}#${id}` }),

  /** A municipality's connector to a school system (SS 12000, issue 20): its configuration, under the municipality. */
  ss12000Connector: (kommunkod: string, systemId: string) => ({ pk: `MUNI#${kommunkod}`, sk: `SS12000#${systemId}` }),
  ss12000Connectors: (kommunkod: string) => ({ pk: `MUNI#${kommunkod}`, skPrefix: "SS12000#" }),
  /** Where a connector got to (its cursor, persons to read again, its failures in a row). */
  ss12000State: (kommunkod: string, systemId: string) => ({ pk: `SS12000#${kommunkod}#${systemId}`, sk: "STATE" }),
  /** One sync record per run, newest last by its start (`SYNC#<startedAt>#<syncId>`); expires after a year. */
  ss12000Sync: (kommunkod: string, systemId: string, startedAt: string, syncId: string) => ({
    pk: `SS12000#${kommunkod}#${systemId}`,
    sk: `SYNC#${startedAt}#${syncId}`,
  }),
  ss12000Syncs: (kommunkod: string, systemId: string) => ({ pk: `SS12000#${kommunkod}#${systemId}`, skPrefix: "SYNC#" }),

  idempotency: (hash: string) => ({ pk: `${DELETABLE.idempotency}${hash}`, sk: "IDEMPOTENCY" }),
} as const;
