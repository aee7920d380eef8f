// Erasure: a range of the user's plays (counted first, then erased), or everything of theirs.

import { request, type IsoDate, type Schemas } from "./api";

export type PlaysErased = Schemas["PlaysErased"];
export type EverythingErased = Schemas["EverythingErased"];

/** Where "sign out everywhere" posts: every session of the user ends, then back to `/`. */
export const LOGOUT_EVERYWHERE_URL = "/auth/logout-everywhere";

function post<T>(url: string, body: unknown): Promise<T> {
  return request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The plays of local days `from` to `to` (both included): counted with `dryRun`, else erased. */
export function erasePlays(from: IsoDate, to: IsoDate, dryRun: boolean): Promise<PlaysErased> {
  return post("/api/v1/erasure/plays", { from, to, dry_run: dryRun });
}

/** Deletes everything Moodify keeps of the user; `confirm` is their id or display name. */
export function eraseEverything(confirm: string): Promise<EverythingErased> {
  return post("/api/v1/erasure/everything", { confirm });
}
