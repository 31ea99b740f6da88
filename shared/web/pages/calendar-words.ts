/**
 * A school year's calendar in words (SPEC §8: a rektor reads the school's year as people say it, not
 * as dates in fields): each term with its school days, each holiday with the weekdays it takes, and
 * the public holidays that fall on a weekday of a term (Elevvakt counts them off by itself).
 */
import { type CalendarYear, isPublicHoliday, isSchoolDay, publicHolidays } from "../../domain/calendar.ts";
import { addDays, isWeekend } from "../../domain/dates.ts";
import { tr } from "../forms.ts";
import { type Html, html } from "../html.ts";
import { counted, type Lang } from "../i18n.ts";
import { officeWords } from "../texts-office.ts";

const LONG: Record<Lang, Intl.DateTimeFormat> = {
  sv: new Intl.DateTimeFormat("sv-SE", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }),
  en: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }),
};
const at = (d: string) => new Date(`${d}T12:00:00Z`);

/** "17 augusti–18 december 2026", "26–30 oktober 2026", or one day. */
export function datesInWords(lang: Lang, start: string, end: string): string {
  return start === end ? LONG[lang].format(at(start)) : LONG[lang].formatRange(at(start), at(end));
}

function daysOf(start: string, end: string): string[] {
  const days: string[] = [];
  // A year at most: a stored range lies within its school year.
  for (let d = start; d <= end && days.length < 400; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The calendar of one school year in words: terms, holidays and the public holidays within the terms. */
export function calendarInWords(lang: Lang, schoolYear: string, year: CalendarYear): Html {
  const t = tr(lang);
  const w = officeWords[lang];
  const calendar = { [schoolYear]: year };
  const terms = [...year.terms].sort((a, b) => a.start.localeCompare(b.start));
  const holidays = [...year.holidays].sort((a, b) => a.start.localeCompare(b.start));
  const inTerm = (d: string) => terms.some((r) => r.start <= d && d <= r.end);
  const inHoliday = (d: string) => holidays.some((h) => h.start <= d && d <= h.end);
  const years = [...new Set(terms.flatMap((r) => [Number(r.start.slice(0, 4)), Number(r.end.slice(0, 4))]))];
  const feasts = years
    .flatMap((y) => [...publicHolidays(y)])
    .filter(([d]) => inTerm(d) && !isWeekend(d) && !inHoliday(d))
    .sort(([a], [b]) => a.localeCompare(b));
  const termName = (start: string) => (Number(start.slice(5, 7)) >= 7 ? t("autumnTerm") : t("springTerm"));
  const weekdays = (start: string, end: string) => daysOf(start, end).filter((d) => !isWeekend(d) && !isPublicHoliday(d)).length;
  return html`<h3>${t("terms")}</h3>
<ul>${terms.map(
    (r) =>
      html`<li><strong>${termName(r.start)}</strong>: ${datesInWords(lang, r.start, r.end)} (${counted(
        lang,
        daysOf(r.start, r.end).filter((d) => isSchoolDay(d, calendar)).length,
        w.calendarSchoolDays,
      )})</li>`,
  )}</ul>
<h3>${t("calendarHolidaysTitle")}</h3>
${
  holidays.length
    ? html`<ul>${holidays.map(
        (h) =>
          html`<li><strong>${h.name}</strong>: ${datesInWords(lang, h.start, h.end)} (${counted(lang, weekdays(h.start, h.end), w.calendarWeekdaysOff)})</li>`,
      )}</ul>`
    : html`<p>${t("calendarNoHolidays")}</p>`
}
${
  feasts.length
    ? html`<h3>${t("calendarPublicHolidaysTitle")}</h3>
<ul>${feasts.map(([d, name]) => html`<li><strong>${name}</strong>: ${datesInWords(lang, d, d)}</li>`)}</ul>`
    : ""
}`;
}
