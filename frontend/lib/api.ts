// Typed client for the Moodify API, served on the same origin under /api.
// Dates are YYYY-MM-DD, inclusive, in the user's time zone; an absent bound means "all time".
// Every call is scoped to the signed-in user by the session cookie (same origin); without a
// valid session the API answers 401, which this module turns into an UnauthorizedError and
// announces once, to `onUnauthorized` listeners (the layout shows the sign-in screen).

import type { components } from "./generated/api-types";

/** Starts signing in with Spotify: navigate to it (a link), never fetch it. */
export const LOGIN_URL = "/auth/login";
/** Ends the session (POST, or GET), then redirects to `/`. */
export const LOGOUT_URL = "/auth/logout";

/** The API's schemas, generated from its OpenAPI document (`make api-types`). */
export type Schemas = components["schemas"];

export type IsoDate = string;
export type IsoDateTime = string;

export interface DateRange {
  from?: IsoDate;
  to?: IsoDate;
}

export type Summary = Schemas["Summary"];
export type TopMeasure = Schemas["TopMeasure"];
export type TopTracks = Schemas["TopTracks"];
export type TopArtist = Schemas["TopArtist"];
export type TopArtists = Schemas["TopArtists"];
export type MoodDay = Schemas["MoodDay"];
export type MoodCalendar = Schemas["MoodCalendar"];
export type Granularity = Schemas["Granularity"];
export type MoodTrendPoint = Schemas["MoodPoint"];
export type MoodTrends = Schemas["MoodTrends"];
export type Gap = Schemas["Gap"];
export type Me = Schemas["Me"];

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

/** The API answered 401: there is no valid session, the user has to sign in with Spotify. */
export class UnauthorizedError extends ApiError {
  constructor(message: string) {
    super(message, 401);
    this.name = "UnauthorizedError";
  }
}

type UnauthorizedListener = (error: UnauthorizedError) => void;

const unauthorizedListeners = new Set<UnauthorizedListener>();
let unauthorized: UnauthorizedError | null = null;

/**
 * Calls `listener` once any API call has answered 401 (at once if one already has, so a late
 * subscriber misses nothing). Returns the unsubscribe function.
 */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  if (unauthorized) listener(unauthorized);
  return () => {
    unauthorizedListeners.delete(listener);
  };
}

function signalUnauthorized(error: UnauthorizedError): void {
  unauthorized = error;
  for (const listener of [...unauthorizedListeners]) listener(error);
}

/** One entry of a 422's `detail`, read defensively: the body comes from the network. */
type ValidationIssue = Partial<Pick<Schemas["ValidationError"], "loc" | "msg">>;

/** What the dashboard calls the parameters the API may refuse. */
const PARAMETER_NAMES: Record<string, string> = { from: "start date", to: "end date", by: "ranking" };

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;

/** One refused parameter in words: "The end date (2024-01-01) is before the start date (2024-02-01)." */
function issueMessage({ loc = [], msg = "invalid" }: ValidationIssue): string {
  const name = (key: string) => PARAMETER_NAMES[key] ?? key;
  // Pydantic prefixes a validator's own message; the API quotes parameter names in backticks.
  const message = msg.replace(/^Value error, /, "");
  const readable = message.replace(/`([^`]+)`/g, (_, key: string) => `the ${name(key)}`);
  const [where, field] = loc;
  // Name a query parameter the message does not name: the page never shows what it sent.
  if (where !== "query" || typeof field !== "string" || message.includes(`\`${field}\``)) return sentence(readable);
  return sentence(`the ${name(field)}: ${readable.charAt(0).toLowerCase()}${readable.slice(1)}`);
}

/** FastAPI errors: {"detail": "message"} or {"detail": [{"loc": [...], "msg": "..."}]}. */
function detailMessage(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("detail" in body)) return null;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return (detail as ValidationIssue[]).map(issueMessage).join(" ");
  return null;
}

export type Params = Record<string, string | number | undefined>;

function buildPath(path: string, params: Params): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(key, String(value));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Any request to the API (POST, PUT, DELETE too): its JSON answer, or an ApiError with its message. */
export async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: { Accept: "application/json", ...init.headers },
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError("Could not reach the Moodify API. Is `moodify serve` running?", null);
  }
  const body: unknown = await response.json().catch(() => null);
  // On AWS the HTTP API's authorizer answers a forged or expired session with 403 (401 only
  // when there is no cookie at all), its body a bare {"message"}. Moodify's own 403s (a
  // friend's comparison while you do not share) carry a `detail`, and are not a sign-out.
  const ownRefusal = response.status === 403 && detailMessage(body) !== null;
  if (response.status === 401 || (response.status === 403 && !ownRefusal)) {
    const error = new UnauthorizedError(detailMessage(body) ?? "Sign in with Spotify to see your listening.");
    signalUnauthorized(error);
    throw error;
  }
  if (!response.ok) {
    const message = detailMessage(body) ?? `${response.status} ${response.statusText}`.trim();
    throw new ApiError(message, response.status);
  }
  return body as T;
}

// Answers are reused for the life of the page (a reload fetches afresh); failures are not kept.
const cache = new Map<string, Promise<unknown>>();

/** Drops every answer kept so far: after a change they no longer hold (a new time zone). */
export function forgetAnswers(): void {
  cache.clear();
}

/** GET an API path (a JSON answer), shared by every caller of the same URL on this page. */
export function getJson<T>(path: string, params: Params = {}): Promise<T> {
  const url = buildPath(path, params);
  let pending = cache.get(url) as Promise<T> | undefined;
  if (!pending) {
    pending = request<T>(url);
    cache.set(url, pending);
    pending.catch(() => cache.delete(url));
  }
  return pending;
}

/** Who is signed in and the state of their Spotify connection; fetched once per page load. */
export function getMe(): Promise<Me> {
  return getJson("/api/v1/me");
}

export function getSummary(range: DateRange = {}): Promise<Summary> {
  return getJson("/api/v1/summary", { ...range });
}

export function getTopTracks(range: DateRange, by: TopMeasure, limit = 10): Promise<TopTracks> {
  return getJson("/api/v1/top_tracks", { ...range, by, limit });
}

export function getTopArtists(range: DateRange, by: TopMeasure, limit = 10): Promise<TopArtists> {
  return getJson("/api/v1/top_artists", { ...range, by, limit });
}

export function getMoodCalendar(period: { year: number } | DateRange): Promise<MoodCalendar> {
  return getJson("/api/v1/mood/calendar", { ...period });
}

export function getMoodTrends(range: DateRange, granularity: Granularity): Promise<MoodTrends> {
  return getJson("/api/v1/mood/trends", { ...range, granularity });
}

// --- Imports ------------------------------------------------------------------------------

export type UploadForm = Schemas["UploadForm"];
export type ImportCreated = Schemas["ImportCreated"];
export type ImportStatus = Schemas["ImportStatus"];
export type ImportState = ImportStatus["status"];
export type ImportedFile = Schemas["ImportedFile"];
export type ImportedFileState = ImportedFile["status"];
export type TakenAs = NonNullable<ImportedFile["taken_as"]>;
export type FileRecords = Schemas["FileRecords"];
export type Superseded = Schemas["SupersededBy"];
export type PlaySource = Superseded["source"];

/** Starts an import: a link for exactly this file (422 with a message for one refused). */
export function createImport(file: { name: string; size: number }): Promise<ImportCreated> {
  return request("/api/v1/imports", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ file_name: file.name, size_bytes: file.size } satisfies Schemas["ImportRequest"]),
  });
}

/** The import's progress; never cached, it changes while the import runs. */
export function getImport(statusUrl: string): Promise<ImportStatus> {
  return request(statusUrl, { cache: "no-store" });
}

/** S3 answers errors as XML: `<Error><Code>…</Code><Message>…</Message></Error>`. */
function uploadErrorMessage(xhr: XMLHttpRequest): string {
  const text = xhr.responseText ?? "";
  const s3 = /<Message>([^<]*)<\/Message>/.exec(text);
  if (s3) return `The upload was refused: ${s3[1]}`;
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: fall back to the status line
  }
  return detailMessage(body) ?? `The upload failed (${xhr.status} ${xhr.statusText})`.trim();
}

/**
 * Sends the file where `upload` says, reporting progress from 0 to 1. XMLHttpRequest, not
 * fetch: only it reports the progress of a request body. Aborts with `signal`.
 */
export function uploadFile(
  upload: UploadForm,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(uploadErrorMessage(xhr), xhr.status));
      }
    };
    xhr.onerror = () => reject(new ApiError("The upload was interrupted: check your connection and try again.", null));
    xhr.onabort = () => reject(new ApiError("The upload was cancelled.", null));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    if (upload.method === "POST") {
      const form = new FormData();
      for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
      form.append("file", file); // S3 ignores every form field after the file
      xhr.send(form);
    } else {
      xhr.send(file); // to the API on the same origin: the session cookie goes along
    }
  });
}
