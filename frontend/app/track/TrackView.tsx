"use client";

import EntityLink from "@/components/primitives/EntityLink";
import { getTrack } from "@/lib/entities";
import { albumHref } from "@/lib/links";
import EntityHeaderArt from "@/components/entities/EntityHeaderArt";
import EntityPage from "@/components/entities/EntityPage";
import EntityView from "@/components/entities/EntityView";
import ExcludeButton from "@/components/exclusions/ExcludeButton";
import ArtistLinks from "@/components/listening/ArtistLinks";

export default function TrackView() {
  return (
    <EntityView kind="track" load={getTrack}>
      {(track, controls) => (
        <EntityPage
          entity={track}
          controls={controls}
          kind="Track"
          art={<EntityHeaderArt src={track.album?.image_url ?? null} name={track.name} />}
          byline={
            <>
              <ArtistLinks artists={track.artists} />
              {track.album && (
                <>
                  {" · "}
                  <EntityLink href={albumHref(track.album.album_id)} data-testid="track-album">
                    {track.album.name}
                  </EntityLink>
                </>
              )}
            </>
          }
          among="tracks"
          mood={track.mood}
          exclude={<ExcludeButton rule={{ kind: "track", item_id: track.track_id }} what={`every play of ${track.name}`} />}
        />
      )}
    </EntityView>
  );
}
