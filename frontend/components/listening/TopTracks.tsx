import type { TopMeasure } from "@/lib/api";
import type { TopTrack } from "@/lib/listening";
import { trackHref } from "@/lib/links";
import Artwork from "@/components/primitives/Artwork";
import TopRow from "./TopRow";
import TrackCredits from "./TrackCredits";
import styles from "./TopList.module.css";

export default function TopTracks({ by, items }: { by: TopMeasure; items: TopTrack[] }) {
  return (
    <ol className={styles.list} data-testid="top-tracks" data-by={by}>
      {items.map((track) => (
        <TopRow
          key={track.track_id}
          testId="top-track-row"
          rank={track.rank}
          art={<Artwork src={track.image_url} name={track.name} />}
          name={track.name}
          href={trackHref(track.track_id)}
          meta={
            <TrackCredits
              artists={track.artist_ids.map((artist_id, i) => ({ artist_id, name: track.artists[i] }))}
              albumId={track.album_id}
              album={track.album}
            />
          }
          metaTitle={track.album ?? undefined}
          item={track}
          items={items}
          by={by}
        />
      ))}
    </ol>
  );
}
