import type { TopMeasure } from "@/lib/api";
import { formatInt } from "@/lib/format";
import type { TopAlbum } from "@/lib/listening";
import { albumHref } from "@/lib/links";
import Artwork from "@/components/primitives/Artwork";
import ArtistLinks from "./ArtistLinks";
import TopRow from "./TopRow";
import styles from "./TopList.module.css";

// A compilation credits dozens of artists: the row names the first few.
const ARTISTS_SHOWN = 3;

export default function TopAlbums({ by, items }: { by: TopMeasure; items: TopAlbum[] }) {
  return (
    <ol className={styles.list} data-testid="top-albums" data-by={by}>
      {items.map((album) => {
        const more = album.artists.length - ARTISTS_SHOWN;
        return (
          <TopRow
            key={album.album_id}
            testId="top-album-row"
            rank={album.rank}
            art={<Artwork src={album.image_url} name={album.name} />}
            name={album.name}
            href={albumHref(album.album_id)}
            meta={
              <>
                <ArtistLinks artists={album.artists.slice(0, ARTISTS_SHOWN)} />
                {more > 0 && ` and ${formatInt(more)} more`}
                <span className={styles.album}>
                  {" · "}
                  {formatInt(album.tracks_played)} {album.tracks_played === 1 ? "track" : "tracks"}
                </span>
              </>
            }
            metaTitle={album.artists.map((artist) => artist.name).join(", ")}
            item={album}
            items={items}
            by={by}
          />
        );
      })}
    </ol>
  );
}
