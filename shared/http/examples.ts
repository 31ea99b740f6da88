/**
 * An example of each request body, by the route's operationId, for the OpenAPI document: what a
 * vendor's developer copies first. A test parses each with its route's body schema, so an example
 * stays a request the API takes (as to its shape: the rules may still refuse it on the day).
 */

const releaseExample = { endDate: "2026-10-02", reason: "transfer", destination: { schoolId: "12345679" } };

export const REQUEST_EXAMPLES: Record<string, unknown> = {
  setMunicipalityCalendar: {
    terms: [
      { start: "2026-08-17", end: "2026-12-18" },
      { start: "2027-01-11", end: "2027-06-10" },
    ],
    holidays: [{ name: "Höstlov", start: "2026-10-26", end: "2026-10-30" }],
  },
  setMunicipalitySettings: { notReturnedDays: 3, longAbsenceShare: 0.1, absenceWindow: 20 },
  setDistrictNames: {
    districts: [
      { districtId: "0180-hagersten-alvsjo", name: "Hägersten-Älvsjö" },
      { districtId: "0180-sodermalm", name: "Södermalm" },
    ],
  },
  setSchoolCalendar: {
    terms: [
      { start: "2026-08-18", end: "2026-12-18" },
      { start: "2027-01-11", end: "2027-06-10" },
    ],
    holidays: [{ name: "Studiedag", start: "2026-11-09", end: "2026-11-09" }],
  },
  putSchool: { name: "Björkskolan", organiserType: "municipal", municipality: "0180", schoolForm: "grundskola" },
  putContact: {
    name: "Rektor Björkskolan",
    role: "rektor",
    scope: "school:12345678",
    email: "rektor@bjorkskolan.example.se",
    language: "sv",
  },
  issueCredential: { principal: "school:12345678", label: "Björkskolan's school administration system" },
  upsertPopulation: {
    records: [
      {
        personnummer: "201503142380",
        givenName: "Alva",
        familyName: "Berg",
        district: "0180-hagersten-alvsjo",
        householdId: "hh_4711",
        status: "resident",
        statusDate: "2026-08-01",
      },
    ],
  },
  setExemption: { from: "2026-09-01", to: "2026-12-18", reason: "Decision 2026-123 by the head of schools" },
  setGradeException: { reason: "Came to Sweden in 2026 and is placed in grade 3 after assessment" },
  requestOverride: {
    schoolId: "12345678",
    enrolmentId: "e3f9a1c0b7e5d2a4c6e8f5b1d3c7a9e2f",
    release: releaseExample,
    reason: "The receiving school has confirmed the transfer by telephone",
  },
  approveOverride: { note: "Checked with the receiving school" },
  rejectOverride: { note: "The pupil is still absent: the attendance office follows up first" },
  putSchoolSystem: {
    baseUrl: "https://skolsystem.example.se/ss12000/v2.1",
    auth: {
      kind: "client_credentials",
      tokenUrl: "https://skolsystem.example.se/oauth2/token",
      clientId: "elevvakt-0180",
      secretRef: "ss12000/0180/skolsystem",
    },
    schoolUnits: ["12345678"],
    schedule: { hours: [6, 18] },
  },
  enableSchoolSystem: { updatedAt: "2026-09-14T07:12:03.512Z" },
  enrolPupil: { personnummer: "201503142380", grade: "6", startDate: "2026-08-17" },
  enrolPupils: {
    items: [
      { personnummer: "201503142380", grade: "6", startDate: "2026-08-17" },
      { pupilId: "p3f9a1c0b7e5d2a4c6e8f", grade: "5", startDate: "2026-08-17" },
    ],
  },
  releasePupil: releaseExample,
  reportAbsence: {
    date: "2026-09-14",
    absent: [
      { personnummer: "201503142380", kind: "unexcused" },
      { pupilId: "p3f9a1c0b7e5d2a4c6e8f", kind: "excused", fraction: 0.5 },
    ],
  },
  searchPupil: { personnummer: "201503142380" },
  setCare: { placements: [{ kind: "family_home", from: "2026-03-01" }] },
  setFlags: { flags: ["travel_ban"] },
  runSweep: { asOf: "2026-09-14" },
  acknowledgeCase: { note: "The mentor calls the guardians today" },
  addJournalEntry: { text: "Spoke with the guardian; the pupil is ill and back on Monday." },
  tickChecklistItem: { done: true, note: "Guardian reached by telephone", date: "2026-09-15" },
  resolveCase: { outcome: "returned", note: "Back in school since 2026-09-21" },
};
