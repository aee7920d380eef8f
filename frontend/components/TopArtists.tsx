import type { TopArtist } from "@/lib/api";
import { formatDuration, formatInt } from "@/lib/format";
import Artwork from "./Artwork";
import styles from "./TopList.module.css";

export default function TopArtists({ items }: { items: TopArtist[] }) {
  const most = Math.max(1, ...items.map((item) => item.plays));
  return (
    <ol className={styles.list} data-testid="top-artists">
      {items.map((artist) => (
        <li key={artist.artist_id} className={styles.row} data-testid="top-artist-row">
          <span className={styles.rank}>{artist.rank}</span>
          <Artwork src={null} name={artist.name} round />
          <span className={styles.main}>
            <span className={styles.name} title={artist.name}>
              {artist.name}
            </span>
            <span className={styles.meta}>{formatDuration(artist.listening_ms)} listened</span>
          </span>
          <span className={styles.stats}>
            <span className={styles.plays}>
              {formatInt(artist.plays)} <span className={styles.unit}>plays</span>
            </span>
          </span>
          <span className={styles.meter} style={{ width: `calc((100% - 56px) * ${artist.plays / most})` }} aria-hidden="true" />
        </li>
      ))}
    </ol>
  );
}
