import type { TopArtist } from "@/lib/api";
import { formatDuration, formatInt } from "@/lib/format";
import styles from "./TopArtistsChart.module.css";

/** Horizontal bars: the top artists by listening time (ask the API for them ranked so). */
export default function TopArtistsChart({ items }: { items: TopArtist[] }) {
  const longest = Math.max(1, ...items.map((artist) => artist.listening_ms));
  return (
    <ol className={styles.chart} data-testid="chart-top-artists">
      {items.map((artist) => {
        const plays = `${formatInt(artist.plays)} ${artist.plays === 1 ? "play" : "plays"}`;
        return (
          <li key={artist.artist_id} className={styles.row} title={`${artist.name}: ${plays}`}>
            <span className={styles.name}>{artist.name}</span>
            <span className={styles.bars}>
              <span
                className={styles.bar}
                style={{ width: `calc((100% - var(--value-width)) * ${artist.listening_ms / longest})` }}
              />
              <span className={styles.value}>{formatDuration(artist.listening_ms)}</span>
              <span className="visually-hidden">, {plays}</span>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
