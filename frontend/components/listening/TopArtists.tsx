import type { TopArtists as TopArtistsAnswer } from "@/lib/api";
import Artwork from "@/components/primitives/Artwork";
import { Meter, RankedFigures } from "./TopMeasure";
import styles from "./TopList.module.css";

export default function TopArtists({ by, items }: TopArtistsAnswer) {
  return (
    <ol className={styles.list} data-testid="top-artists" data-by={by}>
      {items.map((artist) => (
        <li key={artist.artist_id} className={styles.row} data-testid="top-artist-row">
          <span className={styles.rank}>{artist.rank}</span>
          <Artwork src={null} name={artist.name} round />
          <span className={styles.main}>
            <span className={styles.name} data-testid="top-name" title={artist.name}>
              {artist.name}
            </span>
          </span>
          <RankedFigures item={artist} by={by} />
          <Meter item={artist} items={items} by={by} />
        </li>
      ))}
    </ol>
  );
}
