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

export function addDays(iso: IsoDate, days: number): IsoDate {
  const d = toDate(iso);
  d.setUTCDate(d.getUTCDate() + days);
  return fromDate(d);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(iso: IsoDate): number {
  return toDate(iso).getUTCDay();
}

export function isWeekend(iso: IsoDate): boolean {
  const w = weekday(iso);
  return w === 0 || w === 6;
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000);
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
