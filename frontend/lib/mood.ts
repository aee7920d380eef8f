// The mood colour scale: low valence is blue/purple ("melancholic"), high is yellow/orange ("upbeat").

import type { MoodDay } from "./api";
import { formatDuration, formatPercent, formatScore } from "./format";

/** Daily valences rarely leave this band: stretch it over the whole scale. */
export const VALENCE_DOMAIN: readonly [number, number] = [0.2, 0.8];

/** Below this share of listening time with audio features, a day is drawn faded. */
export const LOW_COVERAGE = 0.5;

const STOPS: readonly [number, [number, number, number]][] = [
  [0, [67, 56, 202]], // indigo
  [0.3, [124, 58, 237]], // violet
  [0.55, [219, 39, 119]], // magenta
  [0.8, [249, 115, 22]], // orange
  [1, [250, 204, 21]], // yellow
];

function position(valence: number): number {
  const [low, high] = VALENCE_DOMAIN;
  return Math.min(1, Math.max(0, (valence - low) / (high - low)));
}

export function moodColor(valence: number): string {
  const t = position(valence);
  const upper = STOPS.findIndex(([stop]) => stop >= t);
  if (upper <= 0) return rgb(STOPS[0][1]);
  const [s0, c0] = STOPS[upper - 1];
  const [s1, c1] = STOPS[upper];
  const k = (t - s0) / (s1 - s0);
  return rgb([0, 1, 2].map((i) => Math.round(c0[i] + (c1[i] - c0[i]) * k)) as [number, number, number]);
}

function rgb([r, g, b]: [number, number, number]): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** The scale as a CSS gradient, for legends. */
export const MOOD_GRADIENT = `linear-gradient(90deg, ${STOPS.map(([stop, c]) => `${rgb(c)} ${stop * 100}%`).join(", ")})`;

/** "valence 0.62 · energy 0.71 · 2 h 13 min · features for 87% of listening time". */
export function describeDay(day: MoodDay): string {
  const parts = [
    day.valence === null ? "no audio features" : `valence ${formatScore(day.valence)}`,
    ...(day.energy === null ? [] : [`energy ${formatScore(day.energy)}`]),
    formatDuration(day.listening_ms),
    `features for ${formatPercent(day.coverage)} of listening time`,
  ];
  return parts.join(" · ");
}

/** Listening-time weighted mean of a score over the days that have it. */
export function weightedMean(days: MoodDay[], score: (day: MoodDay) => number | null): number | null {
  let total = 0;
  let weight = 0;
  for (const day of days) {
    const value = score(day);
    if (value === null) continue;
    const w = day.listening_ms * day.coverage;
    total += value * w;
    weight += w;
  }
  return weight > 0 ? total / weight : null;
}
