import type { TopMeasure } from "@/lib/api";
import { formatDuration, formatInt } from "@/lib/format";
import { useMe } from "@/lib/session";
import SegmentedControl from "@/components/primitives/SegmentedControl";
import styles from "./TopList.module.css";

const TOP_MEASURES: TopMeasure[] = ["listening_time", "plays"];

/** The measure named in a page address, `fallback` (the API's default unless told) otherwise. */
export function topMeasure(value: string | null, fallback: TopMeasure = "listening_time"): TopMeasure {
  return TOP_MEASURES.find((measure) => measure === value) ?? fallback;
}

/**
 * What the user's top lists rank by when the address names no measure: their setting (from
 * /me), listening time until /me has answered.
 */
export function useDefaultMeasure(): TopMeasure {
  return useMe()?.ranking_measure ?? "listening_time";
}

/** A top list's subtitle: the measure it is ranked by. */
export function rankedBy(by: TopMeasure): string {
  return by === "plays" ? "By plays in this range" : "By listening time in this range";
}

/** Switches a top list between the two measures. */
export function MeasureToggle({
  value,
  onChange,
  testId,
}: {
  value: TopMeasure;
  onChange: (by: TopMeasure) => void;
  testId: string;
}) {
  return (
    <SegmentedControl
      label="Rank by"
      segments={[
        { value: "listening_time", label: "Time" },
        { value: "plays", label: "Plays" },
      ]}
      value={value}
      onChange={onChange}
      testId={testId}
    />
  );
}

export interface Measured {
  plays: number;
  listening_ms: number;
}

function measureOf(item: Measured, by: TopMeasure): number {
  return by === "plays" ? item.plays : item.listening_ms;
}

/** A row's figures: the ranking measure first and strong, the other under it. */
export function RankedFigures({ item, by }: { item: Measured; by: TopMeasure }) {
  const plays = (
    <>
      {formatInt(item.plays)} <span className={styles.unit}>{item.plays === 1 ? "play" : "plays"}</span>
    </>
  );
  const time = formatDuration(item.listening_ms);
  return (
    <span className={styles.stats}>
      <span className={styles.primary}>{by === "plays" ? plays : time}</span>
      <span className={styles.secondary}>{by === "plays" ? time : plays}</span>
    </span>
  );
}

/** The bar under a row, as long as its share of the list's largest ranking measure. */
export function Meter({ item, items, by }: { item: Measured; items: Measured[]; by: TopMeasure }) {
  const most = Math.max(1, ...items.map((other) => measureOf(other, by)));
  const share = measureOf(item, by) / most;
  return (
    <span
      className={styles.meter}
      style={{ width: `calc((100% - 56px) * ${share})` }}
      data-testid="top-meter"
      data-share={share}
      aria-hidden="true"
    />
  );
}
