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

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** Full local date and time, for tooltips. */
export function formatDateTime(timestamp: IsoDateTime): string {
  return fullFormat.format(new Date(timestamp));
}

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago". */
export function formatRelative(timestamp: IsoDateTime, now: number): string {
  const seconds = Math.round((new Date(timestamp).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return "just now";
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), "hour");
  if (abs < 30 * 86_400) return relativeFormat.format(Math.round(seconds / 86_400), "day");
  return formatDateOfTimestamp(timestamp);
}

function localDayNumber(date: Date): number {
  return Math.round(new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime() / 86_400_000);
}

const clockFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

const weekdayDayFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });

/** A moment close ahead, in local time: "2:05 PM", "tomorrow at 7:00 AM", "Thu, Nov 26 at 7:00 AM". */
export function formatSoon(timestamp: IsoDateTime, now: number): string {
  const date = new Date(timestamp);
  const days = localDayNumber(date) - localDayNumber(new Date(now));
  const time = clockFormat.format(date);
  if (days === 0) return time;
  if (days === 1) return `tomorrow at ${time}`;
  return `${weekdayDayFormat.format(date)} at ${time}`;
}

const dayTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** A period in local time: "Nov 20, 2026, 8:00 AM" and "1:10 PM", or both full ends over several days. */
export function formatPeriodOfTimestamps(from: IsoDateTime, to: IsoDateTime): { from: string; to: string } {
  const start = new Date(from);
  const end = new Date(to);
  const sameDay = localDayNumber(start) === localDayNumber(end);
  return { from: dayTimeFormat.format(start), to: sameDay ? clockFormat.format(end) : dayTimeFormat.format(end) };
}

const bytesFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** "820 KB", "312.4 MB", "1.2 GB" (powers of 1024, as file managers mostly show them). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? formatInt(value) : bytesFormat.format(value)} ${units[unit]}`;
}
