import type { Counted, Lang } from "./i18n.ts";

/**
 * The texts of the office's register pages (calendar, import), the audit trail, social services'
 * lists and the statistics files, in Swedish and English: spread into texts.ts, asked for as t("key").
 */

export const officeSv = {
  // ---- refused fields, in plain Swedish ----
  formNotSaved: "Det som står nedan behöver rättas. Inget är sparat.",
  errDate: "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-08-17.",
  errStartAfterEnd: "Första dagen är efter den sista.",
  errWithinSchoolYear: "Datumen måste ligga inom läsåret {year} ({first} – {last}).",
  errTermsOverlap: "Terminerna går in i varandra.",
  errCareOverlap: "Den föregående placeringen har inget slutdatum eller slutar samma dag eller senare. Avsluta den först.",
  errNotAfterToday: "Datumet får inte vara senare än i dag.",
  errToBeforeFrom: "Slutdatumet är före startdatumet.",
  errFillIn: "Fyll i det här också, eller töm hela raden.",
  errOneTermAtLeast: "Fyll i minst en termin.",
  // ---- the calendar ----
  theMunicipality: "Kommunen",
  calendarWhichOne: "Vilken kalender",
  calendarWhose: "Kalender för",
  calendarOfFor: "{whose}, läsåret {year}",
  calendarNoneStored: "Ingen kalender är sparad för läsåret. Fyll i terminer och lov och spara.",
  calendarSchoolFollowsMunicipality:
    "Skolan har ingen egen kalender för läsåret och följer kommunens (visas nedan). Sparar du här får skolan en egen.",
  calendarStoredAt: "Sparad {at}.",
  terms: "Terminer",
  termN: "Termin {n}",
  lastDayOfTerm: "Sista dag",
  calendarTermsHelp: "Första och sista skoldag för varje termin. Lämna en termin tom om den inte behövs.",
  holidaysAndDaysOff: "Lov och lediga dagar",
  calendarHolidaysHelp:
    "Höstlov, jullov, sportlov, påsklov och enstaka lediga dagar (studiedag, lovdag). Röda dagar räknar Elevvakt ut själv. Töm en rad för att ta bort den.",
  holidayN: "Ledighet {n}",
  nameOfHoliday: "Namn (t.ex. höstlov)",
  firstDayOff: "Första lediga dag",
  lastDayOff: "Sista lediga dag",
  saveCalendar: "Spara kalendern",
  // ---- the import ----
  importHelp:
    "Ladda upp en CSV-fil från folkbokföringen (semikolon eller komma, UTF-8 eller Excels teckenkodning). Du ser först varje rad som den kommer att läsas; inget sparas förrän du godkänner. En tom kolumn behåller det som redan finns sparat.",
  importColumnsTitle: "Kolumner",
  importColumn: "Kolumn",
  importWhat: "Vad den ska innehålla",
  importFile: "CSV-fil",
  importOrPaste: "… eller klistra in innehållet",
  importShowPreview: "Förhandsgranska",
  importNoFile: "Välj en fil, eller klistra in innehållet, innan du förhandsgranskar.",
  importPreview: "Förhandsgranskning av importen",
  importNothingYet: "Inget är sparat ännu.",
  importRowsRead: "Raderna som de läses",
  importResult: "Resultat",
  importWill: "läses in",
  importWillNot: "läses inte in",
  importKeepsStored: "(behålls)",
  importStartOver: "Välj en annan fil",
  importAnother: "Importera en fil till",
  importSummary: "Sammanfattning",
  importRowsCount: "Rader",
  importMissingColumns: "Filen saknar kolumnerna: {columns}. Inget kan läsas in.",
  importRowColumn: "Rad {line}, kolumnen {column}: {message}",
  importRowUnreadable: "Rad {line} kan inte läsas: fel antal kolumner eller ett citattecken som inte stängs.",
  importYesNo: "skriv ja, nej eller lämna tomt.",
  importStatusWords: "skriv folkbokförd, utvandrad, utflyttad eller avliden.",
  importFillIn: "saknas.",
  yes: "ja",
  no: "nej",
  // ---- social services ----
  careLastDay: "Sista dag i placeringen",
  careEnd: "Avsluta placeringen",
  flaggedChildren: "Barn med riskflaggor",
  flaggedHelp:
    "Barnen i ert stadsdelsområde som har en riskflagga. Bara socialtjänsten ser flaggorna; en flagga gör elevens öppna ärenden allvarliga direkt.",
  flaggedNone: "Inga barn i stadsdelsområdet har en riskflagga.",
  flaggedSince: "Flaggad sedan",
  flagsSaved: "Flaggorna är sparade.",
  flagsNoCaseRaised: "Inget öppet ärende behövde höjas (de är redan allvarliga).",
  flagsNoOpenCase: "Eleven har inget öppet ärende; ett ärende som öppnas blir allvarligt direkt.",
};

export const officeEn: Record<keyof typeof officeSv, string> = {
  formNotSaved: "What is marked below needs correcting. Nothing was saved.",
  errDate: "Write the date as YYYY-MM-DD, for example 2026-08-17.",
  errStartAfterEnd: "The first day is after the last.",
  errWithinSchoolYear: "The dates must lie within the school year {year} ({first} – {last}).",
  errTermsOverlap: "The terms overlap.",
  errCareOverlap: "The placement before this one has no end date, or ends on this day or later. End it first.",
  errNotAfterToday: "The date must not be later than today.",
  errToBeforeFrom: "The end date is before the start date.",
  errFillIn: "Fill this in too, or empty the whole row.",
  errOneTermAtLeast: "Fill in at least one term.",
  theMunicipality: "The municipality",
  calendarWhichOne: "Which calendar",
  calendarWhose: "Calendar of",
  calendarOfFor: "{whose}, school year {year}",
  calendarNoneStored: "No calendar is stored for the school year. Fill in the terms and holidays and save.",
  calendarSchoolFollowsMunicipality:
    "The school has no calendar of its own for the year and follows the municipality's (shown below). Saving here gives the school its own.",
  calendarStoredAt: "Saved {at}.",
  terms: "Terms",
  termN: "Term {n}",
  lastDayOfTerm: "Last day",
  calendarTermsHelp: "The first and last school day of each term. Leave a term empty when it is not needed.",
  holidaysAndDaysOff: "Holidays and days off",
  calendarHolidaysHelp:
    "Autumn, Christmas, winter and Easter breaks, and single days off (a study day). Public holidays are computed by Elevvakt. Empty a row to remove it.",
  holidayN: "Day off {n}",
  nameOfHoliday: "Name (e.g. höstlov)",
  firstDayOff: "First day off",
  lastDayOff: "Last day off",
  saveCalendar: "Save the calendar",
  importHelp:
    "Upload a CSV file from the population register (semicolon or comma, UTF-8 or Excel's encoding). You first see every row as it will be read; nothing is saved until you approve. An empty column keeps what is stored.",
  importColumnsTitle: "Columns",
  importColumn: "Column",
  importWhat: "What it holds",
  importFile: "CSV file",
  importOrPaste: "… or paste its content",
  importShowPreview: "Preview",
  importNoFile: "Choose a file, or paste its content, before previewing.",
  importPreview: "Preview of the import",
  importNothingYet: "Nothing is saved yet.",
  importRowsRead: "The rows as they are read",
  importResult: "Result",
  importWill: "imported",
  importWillNot: "not imported",
  importKeepsStored: "(kept)",
  importStartOver: "Choose another file",
  importAnother: "Import another file",
  importSummary: "Summary",
  importRowsCount: "Rows",
  importMissingColumns: "The file lacks the columns: {columns}. Nothing can be imported.",
  importRowColumn: "Row {line}, column {column}: {message}",
  importRowUnreadable: "Row {line} cannot be read: the wrong number of columns, or a quote left open.",
  importYesNo: "write yes, no or leave it empty.",
  importStatusWords: "write resident, emigrated, moved out or deceased (or the Swedish words).",
  importFillIn: "missing.",
  yes: "yes",
  no: "no",
  careLastDay: "Last day of the placement",
  careEnd: "End the placement",
  flaggedChildren: "Children with risk flags",
  flaggedHelp:
    "The children in your district who have a risk flag. Only social services see the flags; a flag makes the pupil's open cases high at once.",
  flaggedNone: "No child in the district has a risk flag.",
  flaggedSince: "Flagged since",
  flagsSaved: "The flags are saved.",
  flagsNoCaseRaised: "No open case needed raising (they are already high).",
  flagsNoOpenCase: "The pupil has no open case; a case that opens will be high at once.",
};

/** Counts (with counted()) and the import's columns, in each language. */
export const officeWords: Record<
  Lang,
  {
    importCanApply: Counted;
    importHaveErrors: Counted;
    importApply: Counted;
    importRowsDone: Counted;
    flagsRaised: Counted;
    importColumns: Record<string, string>;
    importColumnHelp: Record<string, string>;
  }
> = {
  sv: {
    importCanApply: { zero: "Ingen rad kan läsas in.", one: "1 rad kan läsas in.", other: "{n} rader kan läsas in." },
    importHaveErrors: { zero: "Inga rader har fel.", one: "1 rad har fel.", other: "{n} rader har fel." },
    importApply: { one: "Läs in 1 rad", other: "Läs in {n} rader" },
    importRowsDone: { zero: "Inga rader lästes.", one: "1 rad lästes.", other: "{n} rader lästes." },
    flagsRaised: {
      one: "Det öppna ärendet ({kinds}) blev allvarligt {at}, och de som ska veta om det har fått en avisering.",
      other: "{n} öppna ärenden ({kinds}) blev allvarliga {at}, och de som ska veta om dem har fått en avisering.",
    },
    importColumns: {
      personnummer: "personnummer",
      givenName: "förnamn",
      familyName: "efternamn",
      district: "stadsdel",
      householdId: "hushåll",
      protectedIdentity: "skyddad",
      status: "status",
      statusDate: "statusdatum",
      toMunicipality: "tillKommun",
    },
    importColumnHelp: {
      personnummer: "10 eller 12 siffror, med eller utan bindestreck (ÅÅMMDD-NNNN).",
      givenName: "Förnamn (kolumnen får också heta givenName).",
      familyName: "Efternamn (eller familyName).",
      district: "Stadsdelsområdets id, t.ex. 0180-sodermalm (eller district).",
      householdId: "Hushållets id (syskon har samma). Tom: hushållet som är sparat behålls (eller householdId).",
      protectedIdentity: "ja eller nej. Tom: det som är sparat behålls (eller protectedIdentity).",
      status: "folkbokförd, utvandrad, utflyttad eller avliden (eller resident, emigrated, moved_out, deceased).",
      statusDate: "Datum för ändringen, ÅÅÅÅ-MM-DD (eller statusDate).",
      toMunicipality: "Kommunkoden dit barnet flyttat; krävs med utflyttad (eller toMunicipality).",
    },
  },
  en: {
    importCanApply: { zero: "No row can be imported.", one: "1 row can be imported.", other: "{n} rows can be imported." },
    importHaveErrors: { zero: "No row has errors.", one: "1 row has errors.", other: "{n} rows have errors." },
    importApply: { one: "Import 1 row", other: "Import {n} rows" },
    importRowsDone: { zero: "No rows were read.", one: "1 row was read.", other: "{n} rows were read." },
    flagsRaised: {
      one: "The open case ({kinds}) became high at {at}, and those who need to know were alerted.",
      other: "{n} open cases ({kinds}) became high at {at}, and those who need to know were alerted.",
    },
    importColumns: {
      personnummer: "personnummer",
      givenName: "givenName",
      familyName: "familyName",
      district: "district",
      householdId: "householdId",
      protectedIdentity: "protectedIdentity",
      status: "status",
      statusDate: "statusDate",
      toMunicipality: "toMunicipality",
    },
    importColumnHelp: {
      personnummer: "10 or 12 digits, with or without a hyphen (YYMMDD-NNNN).",
      givenName: "Given name (the column may also be called förnamn).",
      familyName: "Family name (or efternamn).",
      district: "The district's id, e.g. 0180-sodermalm (or stadsdel).",
      householdId: "The household's id (siblings share it). Empty: the stored household is kept (or hushåll).",
      protectedIdentity: "yes/ja or no/nej. Empty: what is stored is kept (or skyddad).",
      status: "resident, emigrated, moved_out or deceased (or folkbokförd, utvandrad, utflyttad, avliden).",
      statusDate: "The date of the change, YYYY-MM-DD (or statusdatum).",
      toMunicipality: "The municipality code moved to; required with moved_out (or tillKommun).",
    },
  },
};
