// Typed client for the Moodify API, served on the same origin under /api.
// Dates are YYYY-MM-DD, inclusive, in the user's time zone; an absent bound means "all time".
// Every call is scoped to the signed-in user by the session cookie (same origin); without a
// valid session the API answers 401, which this module turns into an UnauthorizedError and
// announces once, to `onUnauthorized` listeners (the layout shows the sign-in screen).

/** Starts signing in with Spotify: navigate to it (a link), never fetch it. */
export const LOGIN_URL = "/auth/login";
/** Ends the session (POST, or GET), then redirects to `/`. */
export const LOGOUT_URL = "/auth/logout";

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
  distinct_episodes: number;
  first_played_at: IsoDateTime | null;
  last_played_at: IsoDateTime | null;
}

/** What a top list is ranked by: play count, or listening time (the sum of ms_played). */
export type TopMeasure = "plays" | "listening_time";

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

export interface TopTracks {
  /** The measure the items are ranked by. */
  by: TopMeasure;
  items: TopTrack[];
}

export interface TopArtist {
  rank: number;
  artist_id: string;
  name: string;
  plays: number;
  listening_ms: number;
}

export interface TopArtists {
  by: TopMeasure;
  items: TopArtist[];
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

export type SignInState = "connected" | "sign_in_again" | "not_connected";
export type CoolDownReason = "rate_limited" | "quota_exceeded";

export interface SignIn {
  state: SignInState;
  signed_in_at: IsoDateTime | null;
  /** When Spotify ends the sign-in (six months after it was made). */
  expires_at: IsoDateTime | null;
  /** Less than a month before `expires_at`. */
  expires_soon: boolean;
  login_url: string;
}

export interface IngestStatus {
  last_run_at: IsoDateTime | null;
  cool_down_until: IsoDateTime | null;
  cool_down_reason: CoolDownReason | null;
}

/** A period whose plays may be missing: more than 50 plays happened between two fetches. */
export interface Gap {
  from: IsoDateTime;
  to: IsoDateTime;
  detected_at: IsoDateTime;
}

export interface Me {
  user_id: string;
  display_name: string | null;
  /** The IANA time zone the user's days are cut in: every time and day is shown in it. */
  time_zone: string;
  /** This user's listening history was generated (the demo). */
  demo: boolean;
  sign_in: SignIn;
  ingest: IngestStatus;
  gaps: Gap[];
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

interface ValidationIssue {
  loc?: (string | number)[];
  msg?: string;
}

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

type Params = Record<string, string | number | undefined>;

function buildPath(path: string, params: Params): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(key, String(value));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(url: string, init: RequestInit = {}): Promise<T> {
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
  // when there is no cookie at all); Moodify's own endpoints never answer 403.
  if (response.status === 401 || response.status === 403) {
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

/** Who is signed in and the state of their Spotify connection; fetched once per page load. */
export function getMe(): Promise<Me> {
  return get("/api/v1/me");
}

export function getSummary(range: DateRange = {}): Promise<Summary> {
  return get("/api/v1/summary", { ...range });
}

export function getTopTracks(range: DateRange, by: TopMeasure, limit = 10): Promise<TopTracks> {
  return get("/api/v1/top_tracks", { ...range, by, limit });
}

export function getTopArtists(range: DateRange, by: TopMeasure, limit = 10): Promise<TopArtists> {
  return get("/api/v1/top_artists", { ...range, by, limit });
}

export function getMoodCalendar(period: { year: number } | DateRange): Promise<MoodCalendar> {
  return get("/api/v1/mood/calendar", { ...period });
}

export function getMoodTrends(range: DateRange, granularity: Granularity): Promise<MoodTrends> {
  return get("/api/v1/mood/trends", { ...range, granularity });
}

// --- Imports ------------------------------------------------------------------------------

/** The largest file the API accepts (2 GiB). */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** What the API accepts: Spotify's zip, or one of its JSON files. */
export const ACCEPTED_FILES = ".zip,.json";

/**
 * Where the file goes. On AWS a presigned POST straight to the lake bucket: a multipart form
 * with `fields` first and the file last, as `file`. Locally a PUT of the file to the API.
 */
export interface UploadForm {
  method: "POST" | "PUT";
  url: string;
  fields: Record<string, string>;
}

export interface ImportCreated {
  import_id: string;
  upload: UploadForm;
  status_url: string;
  /** The upload link works until then. */
  expires_at: IsoDateTime;
}

export type ImportState = "waiting_for_upload" | "unpacking" | "processing" | "done" | "failed";
export type ImportedFileState = "imported" | "quarantined" | "ignored";

/** What a file was read as: which export, and which kind of plays it holds. */
export type TakenAs =
  | "extended_audio"
  | "extended_video"
  /** Extended history whose name does not say audio or video: it supersedes only plays it matches. */
  | "extended_unknown"
  | "account_music"
  | "account_podcast";

export type PlaySource = "export" | "account" | "api";

/** Records of a file that a more trusted source already holds. */
export interface Superseded {
  source: PlaySource;
  /** "span": a file of that source covers the time; "match": the same play is stored from it. */
  by: "span" | "match";
  file: string | null;
  kind: "audio" | "video" | null;
  from: IsoDateTime | null;
  to: IsoDateTime | null;
  records: number;
}

/** What became of every record a file holds; the categories sum to `read`. */
export interface FileRecords {
  read: number;
  new: number;
  /** True duplicates: the same play from the same or an equal source. */
  already_stored: number;
  superseded: number;
  /** Records with neither a track nor an episode (app loads, for example). */
  not_plays: number;
  rejected: number;
  superseded_by: Superseded[];
  rejected_reasons: { reason: string; records: number }[];
}

export interface ImportedFile {
  name: string;
  status: ImportedFileState;
  /** Why a file was set aside or ignored; for an imported file, records left out. */
  reason: string | null;
  taken_as: TakenAs | null;
  /** Null until the file is imported (and for a file that never is). */
  records: FileRecords | null;
}

export interface ImportStatus {
  import_id: string;
  status: ImportState;
  files: ImportedFile[];
  /** History files on their way through the pipeline. */
  raw_keys: number;
  message: string | null;
  updated_at: IsoDateTime;
}

/** Starts an import: a link for exactly this file (422 with a message for one refused). */
export function createImport(file: { name: string; size: number }): Promise<ImportCreated> {
  return request("/api/v1/imports", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ file_name: file.name, size_bytes: file.size }),
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
