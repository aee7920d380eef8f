// The recap ("Wrapped") of a year, a month or any range: its API call, the period a page
// asks for, and how periods and changes read.

import { getJson, type IsoDate, type Schemas } from "./api";
import { parseIsoDate, toIsoDate } from "./dates";
import { formatDate, formatDuration, formatHours, formatPercent } from "./format";

export type Recap = Schemas["Recap"];
export type RecapDay = Schemas["RecapDay"];
export type RecapChange = Schemas["RecapChange"];
export type RecapComparison = Schemas["RecapComparison"];
export type RecapSession = Schemas["RecapSession"];

/** A calendar year, one of its months (1–12), or any closed range of days. */
export type RecapPeriod =
  | { kind: "year"; year: number }
  | { kind: "month"; year: number; month: number }
  | { kind: "range"; from: IsoDate; to: IsoDate };

const HOUR_MS = 3_600_000;

/** Listening time as the card's headline rounds it: whole hours from an hour on. */
export function formatListening(ms: number): string {
  return ms >= HOUR_MS ? `${formatHours(ms)} h` : formatDuration(ms);
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The first and last day of a period. */
export function periodDays(period: RecapPeriod): { from: IsoDate; to: IsoDate } {
  if (period.kind === "range") return { from: period.from, to: period.to };
  if (period.kind === "year") return { from: `${period.year}-01-01`, to: `${period.year}-12-31` };
  const last = new Date(Date.UTC(period.year, period.month, 0)); // day 0: the month's last
  return { from: `${period.year}-${pad(period.month)}-01`, to: toIsoDate(last) };
}

export function getRecap(period: RecapPeriod): Promise<Recap> {
  return getJson("/api/v1/recap", period.kind === "year" ? { year: period.year } : periodDays(period));
}

const MONTH: Intl.DateTimeFormatOptions = { month: "long", year: "numeric", timeZone: "UTC" };
const monthFormat = new Intl.DateTimeFormat(undefined, MONTH);

/** "2025", "March 2026", or "5 Jan 2026 – 10 Feb 2026": whole years and months by name. */
export function describeDays(from: IsoDate, to: IsoDate): string {
  const start = parseIsoDate(from);
  const dayAfter = parseIsoDate(to);
  dayAfter.setUTCDate(dayAfter.getUTCDate() + 1);
  const wholeMonth = start.getUTCDate() === 1 && dayAfter.getUTCDate() === 1;
  const months = (dayAfter.getUTCFullYear() - start.getUTCFullYear()) * 12 + dayAfter.getUTCMonth() - start.getUTCMonth();
  if (wholeMonth && months === 12 && start.getUTCMonth() === 0) return String(start.getUTCFullYear());
  if (wholeMonth && months === 1) return monthFormat.format(start);
  if (from === to) return formatDate(from);
  return `${formatDate(from)} – ${formatDate(to)}`;
}

export function describePeriod(period: RecapPeriod): string {
  const { from, to } = periodDays(period);
  return describeDays(from, to);
}

/** The PNG's file name: moodify-recap-2025.png, -2026-03.png, -2026-01-05-to-2026-02-10.png. */
export function recapFileName(period: RecapPeriod): string {
  const name =
    period.kind === "year"
      ? String(period.year)
      : period.kind === "month"
        ? `${period.year}-${pad(period.month)}`
        : `${period.from}-to-${period.to}`;
  return `moodify-recap-${name}.png`;
}

export type Direction = "up" | "down" | "same" | "new";

/** Which way a figure went against the range before. */
export function direction({ current, previous }: RecapChange): Direction {
  if (current === previous) return "same";
  if (previous === 0) return "new";
  return current > previous ? "up" : "down";
}

/** "+12%", "−8%", "same", "new". */
export function formatChange(change: RecapChange): string {
  const way = direction(change);
  if (change.change === null || way === "same") return way; // "new", or "same" at 0 both times
  return `${way === "up" ? "+" : "−"}${formatPercent(Math.abs(change.change))}`;
}
