import type { TopMeasure } from "@/lib/api";
import type { TopArtist } from "@/lib/listening";
import { artistHref } from "@/lib/links";
import Artwork from "@/components/primitives/Artwork";
import TopRow from "./TopRow";
import styles from "./TopList.module.css";

export default function TopArtists({ by, items }: { by: TopMeasure; items: TopArtist[] }) {
  return (
    <ol className={styles.list} data-testid="top-artists" data-by={by}>
      {items.map((artist) => (
        <TopRow
          key={artist.artist_id}
          testId="top-artist-row"
          rank={artist.rank}
          art={<Artwork src={null} name={artist.name} round />}
          name={artist.name}
          href={artistHref(artist.artist_id)}
          item={artist}
          items={items}
          by={by}
        />
      ))}
    </ol>
  );
}
