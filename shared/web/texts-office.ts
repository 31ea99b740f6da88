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
};
