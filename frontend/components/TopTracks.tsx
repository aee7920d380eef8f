import type { TopTrack } from "@/lib/api";
import { formatDuration, formatInt } from "@/lib/format";
import Artwork from "./Artwork";
import styles from "./TopList.module.css";

export default function TopTracks({ items }: { items: TopTrack[] }) {
  const most = Math.max(1, ...items.map((item) => item.plays));
  return (
    <ol className={styles.list} data-testid="top-tracks">
      {items.map((track) => (
        <li key={track.track_id} className={styles.row} data-testid="top-track-row">
          <span className={styles.rank}>{track.rank}</span>
          <Artwork src={track.image_url} name={track.name} />
          <span className={styles.main}>
            <span className={styles.name} title={track.name}>
              {track.name}
            </span>
            <span className={styles.meta} title={track.album ?? undefined}>
              {track.artists.join(", ")}
              {track.album && <span className={styles.album}> · {track.album}</span>}
            </span>
          </span>
          <span className={styles.stats}>
            <span className={styles.plays}>
              {formatInt(track.plays)} <span className={styles.unit}>plays</span>
            </span>
            <span className={styles.time}>{formatDuration(track.listening_ms)}</span>
          </span>
          <span className={styles.meter} style={{ width: `calc((100% - 56px) * ${track.plays / most})` }} aria-hidden="true" />
        </li>
      ))}
    </ol>
  );
}
