// The habits page's API: listening sessions, streaks of listening days and discoveries (first
// plays), each for a range of the user's local days.

import { getJson, type DateRange, type Schemas } from "./api";

export type Sessions = Schemas["Sessions"];
export type Session = Schemas["Session"];
export type SessionLengths = Schemas["SessionLengths"];
export type Streaks = Schemas["Streaks"];
export type Streak = Schemas["Streak"];
export type Discoveries = Schemas["Discoveries"];
export type Discovery = Schemas["Discovery"];
export type DiscoveryKind = Schemas["DiscoveryKind"];
export type DiscoveryMonth = Schemas["DiscoveryMonth"];

export const DISCOVERIES_PAGE = 20;

export function getSessions(range: DateRange, limit = 10): Promise<Sessions> {
  return getJson("/api/v1/sessions", { ...range, limit });
}

export function getStreaks(range: DateRange): Promise<Streaks> {
  return getJson("/api/v1/streaks", { ...range });
}

export function getDiscoveries(range: DateRange, kind: DiscoveryKind, offset: number): Promise<Discoveries> {
  return getJson("/api/v1/discoveries", { ...range, kind, offset, limit: DISCOVERIES_PAGE });
}
