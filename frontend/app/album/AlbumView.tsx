"use client";

import { getAlbum } from "@/lib/entities";
import EntityHeaderArt from "@/components/entities/EntityHeaderArt";
import EntityPage from "@/components/entities/EntityPage";
import EntityTopTracks from "@/components/entities/EntityTopTracks";
import EntityView from "@/components/entities/EntityView";
import ExcludeButton from "@/components/exclusions/ExcludeButton";
import ArtistLinks from "@/components/listening/ArtistLinks";

export default function AlbumView() {
  return (
    <EntityView kind="album" load={getAlbum}>
      {(album, controls) => (
        <EntityPage
          entity={album}
          controls={controls}
          kind="Album"
          art={<EntityHeaderArt src={album.image_url} name={album.name} />}
          byline={
            <>
              <ArtistLinks artists={album.artists} />
              {album.release_date && ` · ${album.release_date.slice(0, 4)}`}
            </>
          }
          among="albums"
          exclude={<ExcludeButton rule={{ kind: "album", item_id: album.album_id }} what={`every play of the album ${album.name}`} />}
          top={{ title: "Top tracks", list: <EntityTopTracks tracks={album.top_tracks} by={album.by} withAlbum={false} /> }}
          mood={album.mood}
        />
      )}
    </EntityView>
  );
}
