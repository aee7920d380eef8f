// Exclusion rules: plays left out of every statistic without being deleted
// (GET/POST /api/v1/exclusions, PUT/DELETE /api/v1/exclusions/{rule_id}).

import { request, type Schemas } from "./api";

export type ExclusionRule = Schemas["ExclusionRule"];
export type ExclusionRuleIn = Schemas["ExclusionRuleIn"];
export type ExclusionKind = ExclusionRuleIn["kind"];

const RULES = "/api/v1/exclusions";
const JSON_BODY = { "Content-Type": "application/json" };

/** The user's rules, oldest first; never a kept answer (the list changes as one edits it). */
export async function listRules(): Promise<ExclusionRule[]> {
  const answer = await request<Schemas["ExclusionRules"]>(RULES, { cache: "no-cache" });
  return answer.rules;
}

/** Stores a rule; its plays' days are rebuilt before the API answers. */
export function addRule(rule: ExclusionRuleIn): Promise<ExclusionRule> {
  return request(RULES, { method: "POST", headers: JSON_BODY, body: JSON.stringify(rule) });
}

/** What a rule would leave out (its description and matched plays), without storing it. */
export function previewRule(rule: ExclusionRuleIn): Promise<ExclusionRule> {
  return request(`${RULES}/preview`, { method: "POST", headers: JSON_BODY, body: JSON.stringify(rule) });
}

export function editRule(ruleId: number, rule: ExclusionRuleIn): Promise<ExclusionRule> {
  return request(`${RULES}/${ruleId}`, { method: "PUT", headers: JSON_BODY, body: JSON.stringify(rule) });
}

export function removeRule(ruleId: number): Promise<null> {
  return request(`${RULES}/${ruleId}`, { method: "DELETE" });
}

/** The kinds as the form offers them, with what each leaves out. */
export const KIND_LABELS: Record<ExclusionKind, string> = {
  artist: "An artist",
  track: "A track",
  album: "An album",
  show: "A podcast or audiobook",
  platform: "A platform",
  device: "A device",
  window: "A one-off time window",
  daily: "Every day at certain hours",
  shorter_than: "Plays shorter than…",
};

/** The instant a local day `day` (YYYY-MM-DD) starts in `timeZone`: where a window of days begins. */
export function localMidnight(day: string, timeZone: string): string {
  const [year, month, date] = day.split("-").map(Number);
  const wall = Date.UTC(year, month - 1, date);
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  // The zone's offset at an instant: its wall clock there, read as if it were UTC, minus it.
  const offset = (instant: number) => {
    const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map(({ type, value }) => [type, Number(value)]));
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - instant;
  };
  // Twice: the offset at the guess may differ from the one at midnight across a DST change.
  const guess = wall - offset(wall);
  return new Date(wall - offset(guess)).toISOString();
}
