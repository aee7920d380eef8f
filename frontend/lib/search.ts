// Search across the user's tracks, artists, albums and shows (GET /api/v1/search).

import { getJson, type DateRange, type Schemas } from "./api";

export type SearchResults = Schemas["SearchResults"];
export type SearchHit = Schemas["SearchHit"];

/** The search page, opened with `query`. */
export const searchHref = (query: string) => `/search/?q=${encodeURIComponent(query)}`;

export function search(query: string, range: DateRange = {}, limit = 10): Promise<SearchResults> {
  return getJson("/api/v1/search", { q: query, ...range, limit });
}
