// The user's settings: GET /api/v1/settings answers what /me also says (the pages read /me);
// PUT changes those it names.

import { request, type Schemas } from "./api";

export type UserSettings = Schemas["UserSettings"];
export type SettingsChange = Schemas["SettingsChange"];

/** Changes the settings `change` names: a new time zone re-cuts every day before it answers. */
export function putSettings(change: SettingsChange): Promise<UserSettings> {
  return request("/api/v1/settings", {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(change),
  });
}

/** The IANA time zones this browser knows, with `extra` (the user's, UTC) where it lacks them. */
export function timeZones(...extra: string[]): string[] {
  return [...new Set([...Intl.supportedValuesOf("timeZone"), ...extra])].sort();
}

/** The browser's own time zone. */
export function browserTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** A zone's offset from UTC at `at`, as "UTC+05:30" ("UTC" itself for none). */
export function utcOffset(timeZone: string, at: Date): string {
  const name = new Intl.DateTimeFormat("en", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at)
    .find((part) => part.type === "timeZoneName")?.value;
  return (name ?? "GMT").replace(/^GMT/, "UTC");
}
