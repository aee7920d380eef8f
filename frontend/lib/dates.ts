// Calendar dates as local YYYY-MM-DD strings: the API reads them in the user's time zone.

import type { DateRange, Granularity, IsoDate } from "./api";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string | null | undefined): value is IsoDate {
  return !!value && ISO_DATE.test(value) && toIsoDate(parseIsoDate(value)) === value;
}

/** A YYYY-MM-DD date at local midnight. */
export function parseIsoDate(value: IsoDate): Date {
  const [year, month, day] = value.split("-").map(Number);
  return new Date(year, month - 1, day);
}

export function toIsoDate(date: Date): IsoDate {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** Same day n months away, clamped to the end of a shorter month. */
function addMonths(date: Date, months: number): Date {
  const target = new Date(date.getFullYear(), date.getMonth() + months, 1);
  const lastDay = new Date(target.getFullYear(), target.getMonth() + 1, 0).getDate();
  return new Date(target.getFullYear(), target.getMonth(), Math.min(date.getDate(), lastDay));
}

export function today(): Date {
  const now = new Date();
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export interface RangePreset {
  id: string;
  label: string;
  range: DateRange;
}

/** The preset ranges, ending today (inclusive); "all time" has no bounds. */
export function rangePresets(now: Date = today()): RangePreset[] {
  const to = toIsoDate(now);
  const since = (start: Date) => ({ from: toIsoDate(addDays(start, 1)), to });
  return [
    { id: "4w", label: "4 weeks", range: { from: toIsoDate(addDays(now, -27)), to } },
    { id: "6m", label: "6 months", range: since(addMonths(now, -6)) },
    { id: "12m", label: "12 months", range: since(addMonths(now, -12)) },
    { id: "all", label: "All time", range: {} },
  ];
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
  const first = new Date(year, 0, 1);
  const offset = (first.getDay() + 6) % 7;
  const cells: CalendarCell[] = [];
  for (let date = first; date.getFullYear() === year; date = addDays(date, 1)) {
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
