// Human formatting of numbers, durations and dates, in the browser's locale. Timestamps are
// shown in the user's time zone (the one the API cuts days in), never the browser's.

import type { Granularity, IsoDate, IsoDateTime } from "./api";
import { daysBetween, localDay, parseIsoDate } from "./dates";

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

const DAY: Intl.DateTimeFormatOptions = { day: "numeric", month: "short", year: "numeric" };
const WEEKDAY: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short", year: "numeric" };
const MONTH: Intl.DateTimeFormatOptions = { month: "long", year: "numeric" };
const SHORT_MONTH: Intl.DateTimeFormatOptions = { month: "short" };
const SHORT_DAY: Intl.DateTimeFormatOptions = { day: "numeric", month: "short" };
const WEEKDAY_DAY: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };
const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };
const CLOCK: Intl.DateTimeFormatOptions = { hour: "numeric", minute: "2-digit" };
const FULL: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" };
const DAY_TIME: Intl.DateTimeFormatOptions = { ...DAY, ...CLOCK };

const formats = new Map<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>();

/** One formatter per style and zone: building them is costly, and lists format many dates. */
function formatter(options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  let byZone = formats.get(options);
  if (!byZone) formats.set(options, (byZone = new Map()));
  let format = byZone.get(timeZone);
  if (!format) byZone.set(timeZone, (format = new Intl.DateTimeFormat(undefined, { ...options, timeZone })));
  return format;
}

// A calendar date is a UTC midnight (see dates.ts), so it is formatted in UTC.
function formatIsoDate(date: IsoDate, options: Intl.DateTimeFormatOptions): string {
  return formatter(options, "UTC").format(parseIsoDate(date));
}

export function formatDate(date: IsoDate): string {
  return formatIsoDate(date, DAY);
}

export function formatWeekday(date: IsoDate): string {
  return formatIsoDate(date, WEEKDAY);
}

export function formatMonthShort(date: IsoDate): string {
  return formatIsoDate(date, SHORT_MONTH);
}

/** Axis tick for a trend period. */
export function formatPeriodTick(date: IsoDate, granularity: Granularity): string {
  return formatIsoDate(date, granularity === "month" ? SHORT_MONTH : SHORT_DAY);
}

/** Tooltip heading for a trend period. */
export function formatPeriod(date: IsoDate, granularity: Granularity): string {
  if (granularity === "month") return formatIsoDate(date, MONTH);
  if (granularity === "week") return `Week of ${formatDate(date)}`;
  return formatWeekday(date);
}

/** The day of a timestamp in `timeZone`: "Jan 1, 2025". */
export function formatDateOfTimestamp(timestamp: IsoDateTime, timeZone: string): string {
  return formatter(DAY, timeZone).format(new Date(timestamp));
}

/** The time of day of a timestamp in `timeZone`: "12:16 AM". */
export function formatTime(timestamp: IsoDateTime, timeZone: string): string {
  return formatter(TIME, timeZone).format(new Date(timestamp));
}

/** Full date and time in `timeZone`, for tooltips. */
export function formatDateTime(timestamp: IsoDateTime, timeZone: string): string {
  return formatter(FULL, timeZone).format(new Date(timestamp));
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", then the date. */
export function formatRelative(timestamp: IsoDateTime, now: number, timeZone: string): string {
  const seconds = Math.round((new Date(timestamp).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return "just now";
  if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), "minute");
  if (abs < 86_400) return relativeFormat.format(Math.round(seconds / 3600), "hour");
  if (abs < 30 * 86_400) return relativeFormat.format(Math.round(seconds / 86_400), "day");
  return formatDateOfTimestamp(timestamp, timeZone);
}

/** A moment close ahead, in `timeZone`: "2:05 PM", "tomorrow at 7:00 AM", "Thu, Nov 26 at 7:00 AM". */
export function formatSoon(timestamp: IsoDateTime, now: number, timeZone: string): string {
  const days = daysBetween(localDay(now, timeZone), localDay(timestamp, timeZone));
  const time = formatter(CLOCK, timeZone).format(new Date(timestamp));
  if (days === 0) return time;
  if (days === 1) return `tomorrow at ${time}`;
  return `${formatter(WEEKDAY_DAY, timeZone).format(new Date(timestamp))} at ${time}`;
}

/** A period in `timeZone`: "Nov 20, 2026, 8:00 AM" and "1:10 PM", or both full ends over several days. */
export function formatPeriodOfTimestamps(
  from: IsoDateTime,
  to: IsoDateTime,
  timeZone: string,
): { from: string; to: string } {
  const sameDay = localDay(from, timeZone) === localDay(to, timeZone);
  const end = formatter(sameDay ? CLOCK : DAY_TIME, timeZone).format(new Date(to));
  return { from: formatter(DAY_TIME, timeZone).format(new Date(from)), to: end };
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
