/**
 * The schedules, declared once: CDK creates an EventBridge Scheduler schedule for each (in
 * Europe/Stockholm), and the local runtime fires the same ones. Times avoid 02:00–03:00, the hour
 * that daylight-saving changes skip or repeat.
 */
export const TIME_ZONE = "Europe/Stockholm";

export interface Cron {
  /** `30`, `0/5` */
  minute: string;
  /** `6`, `6-21` */
  hour: string;
  /** `MON-FRI`, `*` */
  weekDays: string;
}

export interface ScheduleDef {
  name: string;
  fn: "morning" | "dispatcher";
  cron: Cron;
  description: string;
}

export const schedules: readonly ScheduleDef[] = [
  {
    name: "daily-sweep",
    fn: "morning",
    cron: { minute: "30", hour: "6", weekDays: "*" },
    description:
      "Every day one work item per municipality on the work queue: its daily job, and on weekdays then its sweep (SPEC §10)",
  },
  {
    name: "dispatch",
    fn: "dispatcher",
    cron: { minute: "0/5", hour: "6-21", weekDays: "*" },
    description: "An escalation item on the work queue for each municipality with open cases, then delivery of queued alerts",
  },
];

/** The EventBridge Scheduler expression. */
export function awsCron(c: Cron): string {
  return `cron(${c.minute} ${c.hour} ? * ${c.weekDays} *)`;
}

const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function field(spec: string, value: number, names?: string[]): boolean {
  if (spec === "*" || spec === "?") return true;
  return spec.split(",").some((part) => {
    const toNum = (x: string) => (names?.includes(x) ? names.indexOf(x) : Number(x));
    const step = /^(\*|\d+)\/(\d+)$/.exec(part);
    if (step)
      return (
        (value - (step[1] === "*" ? 0 : Number(step[1]))) % Number(step[2]) === 0 &&
        value >= (step[1] === "*" ? 0 : Number(step[1]))
      );
    const range = /^(\w+)-(\w+)$/.exec(part);
    if (range) return value >= toNum(range[1] as string) && value <= toNum(range[2] as string);
    return toNum(part) === value;
  });
}

/** The wall clock in Stockholm: what the schedules' fields are matched against. */
export function stockholmClock(at: Date): { minute: number; hour: number; weekDay: number; key: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: TIME_ZONE,
      hour12: false,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const weekDay = DAYS.indexOf(String(parts.weekday).toUpperCase().slice(0, 3));
  return {
    minute: Number(parts.minute),
    hour: Number(parts.hour) % 24,
    weekDay,
    key: `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`,
  };
}

export function cronMatches(c: Cron, at: Date): boolean {
  const t = stockholmClock(at);
  return field(c.minute, t.minute) && field(c.hour, t.hour) && field(c.weekDays, t.weekDay, DAYS);
}
