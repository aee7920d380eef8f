// Sharing one's listening with the other users of this Moodify, and comparing with them.

import { getJson, request, type DateRange, type Schemas } from "./api";

export type Sharing = Schemas["Sharing"];
export type Friend = Schemas["Friend"];
export type Friends = Schemas["Friends"];
export type Comparison = Schemas["Comparison"];
export type SideMood = Schemas["Mood"];

// The choice and the list of friends change with anyone's choice: asked afresh each time,
// never from the page's shared answers.
export function getSharing(): Promise<Sharing> {
  return request("/api/v1/sharing");
}

export function putSharing(shared: boolean): Promise<Sharing> {
  return request("/api/v1/sharing", {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ shared }),
  });
}

export function getFriends(): Promise<Friends> {
  return request("/api/v1/compare");
}

export function getComparison(friendUserId: string, range: DateRange, limit = 10): Promise<Comparison> {
  return getJson(`/api/v1/compare/${encodeURIComponent(friendUserId)}`, { ...range, limit });
}

export function friendName(friend: Friend): string {
  return friend.display_name ?? friend.user_id;
}

/** The score in words: how much of their listening two people have in common. */
export function describeScore(score: number): string {
  if (score >= 70) return "Kindred ears";
  if (score >= 40) return "Much in common";
  if (score >= 15) return "Some common ground";
  if (score > 0) return "Different tastes";
  return "Nothing in common yet";
}
