// Calendar dates as YYYY-MM-DD strings: days in the user's time zone, as the API cuts them.
// Date arithmetic runs on UTC midnights, so the browser's own time zone never shifts a day.

import type { DateRange, Granularity, IsoDate, IsoDateTime } from "./api";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export function isIsoDate(value: string | null | undefined): value is IsoDate {
  return !!value && ISO_DATE.test(value) && toIsoDate(parseIsoDate(value)) === value;
}

/** A YYYY-MM-DD date at midnight UTC. */
export function parseIsoDate(value: IsoDate): Date {
  const [year, month, day] = value.split("-").map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // unlike Date.UTC, keeps years 0-99 as they are
  return date;
}

/** The YYYY-MM-DD of a date made by `parseIsoDate` (its UTC calendar day). */
export function toIsoDate(date: Date): IsoDate {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function addDays(date: Date, days: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + days));
}

/** Same day n months away, clamped to the end of a shorter month. */
function addMonths(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(date.getUTCDate(), lastDay)));
}

/** Days from `from` to `to` (negative when `to` comes first). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((parseIsoDate(to).getTime() - parseIsoDate(from).getTime()) / DAY_MS);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day a moment falls on in `timeZone` (an IANA name). */
export function localDay(moment: IsoDateTime | number, timeZone: string): IsoDate {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(moment)).map(({ type, value }) => [type, value]));
  return `${parts.year.padStart(4, "0")}-${parts.month}-${parts.day}`;
}

/** Calendar years from the first play to the last, in `timeZone`. */
export function yearsBetween(first: IsoDateTime, last: IsoDateTime, timeZone: string): number[] {
  const years: number[] = [];
  const yearOf = (moment: IsoDateTime) => Number(localDay(moment, timeZone).slice(0, 4));
  for (let year = yearOf(first); year <= yearOf(last); year++) years.push(year);
  return years;
}

export interface RangePreset {
  id: string;
  label: string;
  range: DateRange;
}

/** The preset ranges, ending `today` (the user's, inclusive); "all time" has no bounds. */
export function rangePresets(today: IsoDate): RangePreset[] {
  const now = parseIsoDate(today);
  const since = (start: Date) => ({ from: toIsoDate(addDays(start, 1)), to: today });
  return [
    { id: "4w", label: "4 weeks", range: { from: toIsoDate(addDays(now, -27)), to: today } },
    { id: "6m", label: "6 months", range: since(addMonths(now, -6)) },
    { id: "12m", label: "12 months", range: since(addMonths(now, -12)) },
    { id: "all", label: "All time", range: {} },
  ];
}

/** What is wrong with a range given in the page's address, in words; null when nothing is. */
export function rangeProblem({ from, to }: DateRange): string | null {
  for (const [name, value] of [
    ["start", from],
    ["end", to],
  ] as const) {
    if (value && !isIsoDate(value)) return `The ${name} date “${value}” is not a date of the form YYYY-MM-DD.`;
  }
  if (from && to && from > to) return "The range ends before it starts.";
  return null;
}

export interface CalendarCell {
  date: IsoDate;
  /** Week column, 0-based from the week holding 1 January. */
  week: number;
  /** Day row, 0 = Monday … 6 = Sunday. */
  weekday: number;
}

/** Every day of a year laid out in Monday-first week columns (53, rarely 54). */
export function yearCells(year: number): CalendarCell[] {
  const first = new Date(Date.UTC(year, 0, 1));
  const offset = (first.getUTCDay() + 6) % 7;
  const cells: CalendarCell[] = [];
  for (let date = first; date.getUTCFullYear() === year; date = addDays(date, 1)) {
    const index = cells.length + offset;
    cells.push({ date: toIsoDate(date), week: Math.floor(index / 7), weekday: index % 7 });
  }
  return cells;
}

/** The starts of every period from `first` to `last` (both period starts), inclusive. */
export function periodStarts(first: IsoDate, last: IsoDate, granularity: Granularity): IsoDate[] {
  const starts: IsoDate[] = [];
  const end = parseIsoDate(last);
  for (let date = parseIsoDate(first); date <= end; ) {
    starts.push(toIsoDate(date));
    date = granularity === "month" ? addMonths(date, 1) : addDays(date, granularity === "week" ? 7 : 1);
  }
  return starts;
}
