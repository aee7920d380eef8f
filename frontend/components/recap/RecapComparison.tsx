import type { IsoDate } from "@/lib/api";
import { formatInt } from "@/lib/format";
import { describeDays, direction, formatChange, formatListening, type RecapChange, type RecapComparison as Comparison } from "@/lib/recap";
import styles from "./RecapCard.module.css";

const ARROWS = { up: "▲", down: "▼", same: "=", new: "★" } as const;
const SPOKEN = { up: "up", down: "down", same: "", new: "" } as const;

interface Row {
  label: string;
  change: RecapChange;
  format: (value: number) => string;
  testId: string;
}

/** The range against the one before: each figure, which way it went and by how much. */
export default function RecapComparison({ comparison, rangeEnd }: { comparison: Comparison; rangeEnd: IsoDate }) {
  const previous = describeDays(comparison.previous_from, comparison.previous_to);
  const rows: Row[] = [
    { label: "Listening time", change: comparison.listening_ms, format: formatListening, testId: "listening" },
    { label: "Plays", change: comparison.plays, format: formatInt, testId: "plays" },
    { label: "Artists", change: comparison.distinct_artists, format: formatInt, testId: "artists" },
    { label: "New artists", change: comparison.new_artists, format: formatInt, testId: "new-artists" },
    { label: "New tracks", change: comparison.new_tracks, format: formatInt, testId: "new-tracks" },
  ];
  return (
    <section className={`${styles.tile} ${styles.wide}`} data-testid="recap-comparison">
      <h3 className={styles.tileTitle}>Compared with {previous}</h3>
      {comparison.to !== rangeEnd && (
        <p className={styles.detail}>
          Under way: {describeDays(comparison.from, comparison.to)} so far.
        </p>
      )}
      <ul className={styles.changes}>
        {rows.map(({ label, change, format, testId }) => {
          const way = direction(change);
          return (
            <li key={testId} data-testid={`change-${testId}`} data-direction={way}>
              <span className={styles.changeLabel}>{label}</span>
              <span className={styles.changeValue}>{format(change.current)}</span>
              <span className={`${styles.changeBadge} ${styles[way]}`}>
                <span aria-hidden="true">{ARROWS[way]} </span>
                {SPOKEN[way] && <span className="visually-hidden">{SPOKEN[way]} </span>}
                <span data-testid="change-percent">{formatChange(change)}</span>
              </span>
              <span className={styles.changeWas}>was {format(change.previous)}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
