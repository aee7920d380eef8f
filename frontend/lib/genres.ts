// The genres page's API and the settings' provider coverage: top parent genres and their
// share over time for a range, and what the providers know, with "fetch again".

import { getJson, request, type DateRange, type Schemas, type TopMeasure } from "./api";

export type TopGenres = Schemas["TopGenres"];
export type ParentGenre = Schemas["ParentGenre"];
export type GenreTrend = Schemas["GenreTrend"];
export type GenreTrendPoint = Schemas["GenreTrendPoint"];
export type ArtistGenre = Schemas["ArtistGenre"];
export type ProviderCoverage = Schemas["ProviderCoverage"];
export type KindCoverage = Schemas["KindCoverage"];
export type ProviderKind = Schemas["ProviderKind"];
export type Refetch = Schemas["Refetch"];

/** How many parent genres the trend names; the rest are "Other". */
export const TREND_GENRES = 7;

export function getTopGenres(range: DateRange, by: TopMeasure): Promise<TopGenres> {
  return getJson("/api/v1/genres/top", { ...range, by });
}

export function getGenreTrend(range: DateRange): Promise<GenreTrend> {
  return getJson("/api/v1/genres/trend", { ...range, limit: TREND_GENRES });
}

/** Not shared with earlier callers: the figures change as enrich runs fetch. */
export function getProviderCoverage(): Promise<ProviderCoverage> {
  return request("/api/v1/providers", { cache: "no-store" });
}

export function refetchProvider(kind: ProviderKind): Promise<Refetch> {
  return request(`/api/v1/providers/${kind}/refetch`, { method: "POST" });
}

// Okabe–Ito's colours, told apart with the common colour blindnesses, lightened where the
// dark background needs it; "Other" is grey.
const GENRE_COLOURS = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#cc79a7", "#d55e00", "#8f9bff"];
const OTHER_COLOUR = "#8b8f98";

/** The colour of the genre at `index` of a trend's genres. */
export function genreColour(genre: string, index: number): string {
  return genre === "Other" ? OTHER_COLOUR : GENRE_COLOURS[index % GENRE_COLOURS.length];
}
