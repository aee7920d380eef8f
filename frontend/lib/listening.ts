// The Listening and Recent pages' API: top lists of every kind (paged), the listening clock
// and the recently played plays.

import { getJson, type DateRange, type IsoDateTime, type Schemas, type TopMeasure } from "./api";

export type TopTrack = Schemas["TopTrack"];
export type TopArtist = Schemas["TopArtist"];
export type TopAlbum = Schemas["TopAlbum"];
export type TopShow = Schemas["TopShow"];
export type ArtistRef = Schemas["ArtistRef"];
export type ClockKind = Schemas["ClockKind"];
export type ClockCell = Schemas["ClockCell"];
export type ListeningClock = Schemas["ListeningClock"];
export type RecentPlay = Schemas["RecentPlay"];
export type RecentPlays = Schemas["RecentPlays"];

/** What each top list holds, by the endpoint that ranks it. */
export interface TopItems {
  tracks: TopTrack;
  artists: TopArtist;
  albums: TopAlbum;
  shows: TopShow;
  audiobooks: TopShow;
}

export type TopKind = keyof TopItems;

export const TOP_KINDS: TopKind[] = ["tracks", "artists", "albums", "shows", "audiobooks"];

/** One page of a ranking: `total` says how many items the whole range has. */
export interface TopPage<K extends TopKind> {
  by: TopMeasure;
  offset: number;
  total: number;
  items: TopItems[K][];
}

/** How many items one "show more" adds. */
export const TOP_PAGE_SIZE = 25;

export function getTopPage<K extends TopKind>(
  kind: K,
  range: DateRange,
  by: TopMeasure,
  offset = 0,
  limit = TOP_PAGE_SIZE,
): Promise<TopPage<K>> {
  return getJson(`/api/v1/top_${kind}`, { ...range, by, offset, limit });
}

export function getListeningClock(range: DateRange, by: TopMeasure, kind: ClockKind): Promise<ListeningClock> {
  return getJson("/api/v1/clock", { ...range, by, kind });
}

/** How many plays one "load more" adds. */
export const RECENT_PAGE_SIZE = 50;

export function getRecentPlays(range: DateRange, before?: IsoDateTime): Promise<RecentPlays> {
  return getJson("/api/v1/recent", { ...range, before, limit: RECENT_PAGE_SIZE });
}

// Weekdays and hours of the clock are local to the user's zone already: they are formatted
// as bare labels (in UTC, so the browser's zone never moves them).
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", timeZone: "UTC" });
const shortWeekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", timeZone: "UTC" });
const hourFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", timeZone: "UTC" });

// 1 January 2024 was a Monday: ISO weekday n falls on the n-th of January.
const isoWeekday = (weekday: number) => Date.UTC(2024, 0, weekday);

/** "Monday" for ISO weekday 1, in the browser's language. */
export function weekdayName(weekday: number, short = false): string {
  return (short ? shortWeekdayFormat : weekdayFormat).format(isoWeekday(weekday));
}

/** "9 AM" (or "09" in a 24-hour locale) for hour 9 of the day. */
export function hourName(hour: number): string {
  return hourFormat.format(Date.UTC(2024, 0, 1, hour));
}
