// Human formatting of numbers, durations and dates, in the browser's locale.

import type { Granularity, IsoDate, IsoDateTime } from "./api";
import { parseIsoDate } from "./dates";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export function formatInt(value: number): string {
  return integer.format(value);
}

/** "2 h 13 min", "45 min", "< 1 min", "1,234 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / MINUTE_MS);
  if (minutes === 0) return ms > 0 ? "< 1 min" : "0 min";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  if (hours >= 100 || rest === 0) return `${formatInt(hours)} h`;
  return `${hours} h ${rest} min`;
}

/** Whole listening hours, for headline numbers. */
export function formatHours(ms: number): string {
  return formatInt(Math.round(ms / HOUR_MS));
}

export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

/** A valence or energy score, 0..1, with two decimals. */
export function formatScore(value: number | null): string {
  return value === null ? "–" : value.toFixed(2);
}

const dayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric" });
const weekdayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});
const monthFormat = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric" });
const shortMonthFormat = new Intl.DateTimeFormat(undefined, { month: "short" });
const shortDayFormat = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

export function formatDate(date: IsoDate): string {
  return dayFormat.format(parseIsoDate(date));
}

export function formatWeekday(date: IsoDate): string {
  return weekdayFormat.format(parseIsoDate(date));
}

export function formatMonthShort(date: IsoDate): string {
  return shortMonthFormat.format(parseIsoDate(date));
}

// Timestamps from the API are shown in the browser's time zone.
export function formatDateOfTimestamp(timestamp: IsoDateTime): string {
  return dayFormat.format(new Date(timestamp));
}

export function formatTime(timestamp: IsoDateTime): string {
  return timeFormat.format(new Date(timestamp));
}

/** Axis tick for a trend period. */
export function formatPeriodTick(date: IsoDate, granularity: Granularity): string {
  return granularity === "month" ? formatMonthShort(date) : shortDayFormat.format(parseIsoDate(date));
}

/** Tooltip heading for a trend period. */
export function formatPeriod(date: IsoDate, granularity: Granularity): string {
  if (granularity === "month") return monthFormat.format(parseIsoDate(date));
  if (granularity === "week") return `Week of ${formatDate(date)}`;
  return formatWeekday(date);
}
