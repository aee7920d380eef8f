import EntityLink from "@/components/primitives/EntityLink";
import { albumHref } from "@/lib/links";
import ArtistLinks from "./ArtistLinks";
import styles from "./TopList.module.css";

interface TrackCreditsProps {
  artists: { artist_id: string; name: string }[];
  albumId?: string | null;
  album?: string | null;
}

/** A track's artists, then its album (left out on a narrow screen), each linking to its page. */
export default function TrackCredits({ artists, albumId, album }: TrackCreditsProps) {
  return (
    <>
      <ArtistLinks artists={artists} />
      {albumId && album && (
        <span className={styles.album}>
          {" · "}
          <EntityLink className={styles.link} href={albumHref(albumId)}>
            {album}
          </EntityLink>
        </span>
      )}
    </>
  );
}
