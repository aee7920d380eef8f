import type { TopTracks as TopTracksAnswer } from "@/lib/api";
import Artwork from "@/components/primitives/Artwork";
import { Meter, RankedFigures } from "./TopMeasure";
import styles from "./TopList.module.css";

export default function TopTracks({ by, items }: TopTracksAnswer) {
  return (
    <ol className={styles.list} data-testid="top-tracks" data-by={by}>
      {items.map((track) => (
        <li key={track.track_id} className={styles.row} data-testid="top-track-row">
          <span className={styles.rank}>{track.rank}</span>
          <Artwork src={track.image_url} name={track.name} />
          <span className={styles.main}>
            <span className={styles.name} data-testid="top-name" title={track.name}>
              {track.name}
            </span>
            <span className={styles.meta} title={track.album ?? undefined}>
              {track.artists.join(", ")}
              {track.album && <span className={styles.album}> · {track.album}</span>}
            </span>
          </span>
          <RankedFigures item={track} by={by} />
          <Meter item={track} items={items} by={by} />
        </li>
      ))}
    </ol>
  );
}
