// The playback and podcast pages' API: skips, devices (with shuffle and offline) and
// podcasts with audiobooks, each for a range of the user's local days.

import { getJson, type DateRange, type Schemas } from "./api";

export type Skips = Schemas["Skips"];
export type SkipsBy = Schemas["SkipsBy"];
export type SkippedItem = Schemas["SkippedItem"];
export type Devices = Schemas["Devices"];
export type KnownShare = Schemas["KnownShare"];
export type Podcasts = Schemas["Podcasts"];
export type ShowGroup = Schemas["ShowGroup"];
export type ShowListening = Schemas["ShowListening"];
export type HourListening = Schemas["HourListening"];

export function getSkips(range: DateRange, by: SkipsBy, minPlays: number, limit = 10): Promise<Skips> {
  return getJson("/api/v1/skips", { ...range, by, min_plays: minPlays, limit });
}

export function getDevices(range: DateRange): Promise<Devices> {
  return getJson("/api/v1/devices", { ...range });
}

export function getPodcasts(range: DateRange, limit = 10): Promise<Podcasts> {
  return getJson("/api/v1/podcasts", { ...range, limit });
}
