import EntityLink from "@/components/primitives/EntityLink";
import type { TopMeasure } from "@/lib/api";
import type { EntityTrack } from "@/lib/entities";
import { albumHref, trackHref } from "@/lib/links";
import ArtistLinks from "@/components/listening/ArtistLinks";
import TopRow from "@/components/listening/TopRow";
import styles from "@/components/listening/TopList.module.css";
import Artwork from "@/components/primitives/Artwork";

interface EntityTopTracksProps {
  tracks: EntityTrack[];
  by: TopMeasure;
  /** Name each track's album (an artist's page); an album's page leaves it out. */
  withAlbum: boolean;
  /** The artist whose page this is: only the others credited are named ("with …"). */
  artistId?: string;
}

/** The tracks of an artist or album most played in the range, each linking to its page. */
export default function EntityTopTracks({ tracks, by, withAlbum, artistId }: EntityTopTracksProps) {
  return (
    <ol className={styles.list} data-testid="entity-top-tracks">
      {tracks.map((track) => {
        const others = track.artists.filter((artist) => artist.artist_id !== artistId);
        const credits = others.length > 0 && (
          <>
            {artistId && "with "}
            <ArtistLinks artists={others} />
          </>
        );
        const album = withAlbum && track.album && (
          <span className={credits ? styles.album : undefined}>
            {credits && " · "}
            <EntityLink className={styles.link} href={albumHref(track.album.album_id)}>
              {track.album.name}
            </EntityLink>
          </span>
        );
        return (
          <TopRow
            key={track.track_id}
            testId="entity-track-row"
            rank={track.rank}
            art={<Artwork src={track.album?.image_url ?? null} name={track.name} />}
            name={track.name}
            href={trackHref(track.track_id)}
            meta={
              credits || album ? (
                <>
                  {credits}
                  {album}
                </>
              ) : undefined
            }
            metaTitle={withAlbum ? track.album?.name : undefined}
            item={track}
            items={tracks}
            by={by}
          />
        );
      })}
    </ol>
  );
}
