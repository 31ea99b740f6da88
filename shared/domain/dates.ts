/** Calendar dates are ISO strings `YYYY-MM-DD`; arithmetic is done in UTC so no time zone can shift a day. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function toDate(iso: IsoDate): Date {
  return new Date(`${iso}T00:00:00Z`);
}

export function fromDate(d: Date): IsoDate {
  return d.toISOString().slice(0, 10);
}

/**
 * Days since 1970-01-01 for a date, and back (H. Hinnant's civil-date algorithms): date arithmetic
 * without Date objects, since detection walks many days.
 */
export function dayNumber(iso: IsoDate): number {
  let y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(n: number): IsoDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, "0")}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(iso) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(iso: IsoDate): number {
  return (((dayNumber(iso) + 4) % 7) + 7) % 7;
}

export function isWeekend(iso: IsoDate): boolean {
  const w = weekday(iso);
  return w === 0 || w === 6;
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from);
}

export function minDate(...dates: IsoDate[]): IsoDate {
  return dates.reduce((a, b) => (a < b ? a : b));
}

export function maxDate(...dates: IsoDate[]): IsoDate {
  return dates.reduce((a, b) => (a > b ? a : b));
}

/** Today's date in Sweden, whatever the server's time zone (Lambda runs in UTC). */
export function todayInStockholm(now: Date = new Date()): IsoDate {
  return new Intl.DateTimeFormat("sv-SE", {
    timeZone: "Europe/Stockholm",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

const STOCKHOLM_MINUTE = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Stockholm",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

/**
 * An instant as the clock on the wall in Sweden shows it, to the minute ("2026-12-03 21:05"),
 * whatever the server's time zone: nothing for no instant, and what was given for what is none.
 */
export function stockholmTime(at?: string): string {
  if (!at) return "";
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : STOCKHOLM_MINUTE.format(d);
}

/** The school year (läsår) a date belongs to turns on 1 July: 2026-08-17 → "2026-27". */
export function schoolYearOf(iso: IsoDate): string {
  const year = Number(iso.slice(0, 4));
  const start = iso.slice(5) >= "07-01" ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** First and last date of a school year "2026-27". */
export function schoolYearRange(schoolYear: string): { start: IsoDate; end: IsoDate; startYear: number } {
  const startYear = Number(schoolYear.slice(0, 4));
  return { start: `${startYear}-07-01`, end: `${startYear + 1}-06-30`, startYear };
}

export function isSchoolYear(value: string): boolean {
  const m = /^(\d{4})-(\d{2})$/.exec(value);
  return !!m && (Number(m[1]) + 1) % 100 === Number(m[2]);
}
