// Typed client for the Moodify API, served on the same origin under /api.
// Dates are YYYY-MM-DD, inclusive, in the user's time zone; an absent bound means "all time".

export type IsoDate = string;
export type IsoDateTime = string;

export interface DateRange {
  from?: IsoDate;
  to?: IsoDate;
}

export interface Summary {
  from: IsoDate | null;
  to: IsoDate | null;
  plays: number;
  listening_ms: number;
  distinct_tracks: number;
  distinct_artists: number;
  first_played_at: IsoDateTime | null;
  last_played_at: IsoDateTime | null;
}

export interface TopTrack {
  rank: number;
  track_id: string;
  name: string;
  artists: string[];
  album: string | null;
  image_url: string | null;
  plays: number;
  listening_ms: number;
}

export interface TopArtist {
  rank: number;
  artist_id: string;
  name: string;
  plays: number;
  listening_ms: number;
}

export interface MoodDay {
  date: IsoDate;
  plays: number;
  listening_ms: number;
  valence: number | null;
  energy: number | null;
  coverage: number;
}

export interface MoodCalendar {
  from: IsoDate;
  to: IsoDate;
  days: MoodDay[];
}

export type Granularity = "day" | "week" | "month";

export interface MoodTrendPoint {
  period_start: IsoDate;
  valence: number | null;
  energy: number | null;
  coverage: number;
  listening_ms: number;
}

export interface MoodTrends {
  granularity: Granularity;
  points: MoodTrendPoint[];
}

/** An error answered by the API (or the network), carrying a message fit to show. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface ValidationIssue {
  loc?: (string | number)[];
  msg?: string;
}

/** FastAPI errors: {"detail": "message"} or {"detail": [{"loc": [...], "msg": "..."}]}. */
function detailMessage(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("detail" in body)) return null;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return (detail as ValidationIssue[])
      .map((issue) => {
        const field = issue.loc?.filter((part) => part !== "query" && part !== "body").join(".");
        return field ? `${field}: ${issue.msg ?? "invalid"}` : (issue.msg ?? "invalid request");
      })
      .join("; ");
  }
  return null;
}

type Params = Record<string, string | number | undefined>;

function buildPath(path: string, params: Params): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(key, String(value));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(url: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" } });
  } catch {
    throw new ApiError("Could not reach the Moodify API. Is `moodify serve` running?", null);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message = detailMessage(body) ?? `${response.status} ${response.statusText}`.trim();
    throw new ApiError(message, response.status);
  }
  return body as T;
}

// Answers are reused for the life of the page (a reload fetches afresh); failures are not kept.
const cache = new Map<string, Promise<unknown>>();

function get<T>(path: string, params: Params = {}): Promise<T> {
  const url = buildPath(path, params);
  let pending = cache.get(url) as Promise<T> | undefined;
  if (!pending) {
    pending = request<T>(url);
    cache.set(url, pending);
    pending.catch(() => cache.delete(url));
  }
  return pending;
}

export function getSummary(range: DateRange = {}): Promise<Summary> {
  return get("/api/v1/summary", { ...range });
}

export function getTopTracks(range: DateRange, limit = 10): Promise<{ items: TopTrack[] }> {
  return get("/api/v1/top_tracks", { ...range, limit });
}

export function getTopArtists(range: DateRange, limit = 10): Promise<{ items: TopArtist[] }> {
  return get("/api/v1/top_artists", { ...range, limit });
}

export function getMoodCalendar(period: { year: number } | DateRange): Promise<MoodCalendar> {
  return get("/api/v1/mood/calendar", { ...period });
}

export function getMoodTrends(range: DateRange, granularity: Granularity): Promise<MoodTrends> {
  return get("/api/v1/mood/trends", { ...range, granularity });
}
