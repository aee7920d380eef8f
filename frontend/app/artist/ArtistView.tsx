"use client";

import { getArtist } from "@/lib/entities";
import EntityHeaderArt from "@/components/entities/EntityHeaderArt";
import EntityPage from "@/components/entities/EntityPage";
import EntityTopTracks from "@/components/entities/EntityTopTracks";
import EntityView from "@/components/entities/EntityView";
import ExcludeButton from "@/components/exclusions/ExcludeButton";
import GenreChips from "@/components/genres/GenreChips";

export default function ArtistView() {
  return (
    <EntityView kind="artist" load={getArtist}>
      {(artist, controls) => (
        <EntityPage
          entity={artist}
          controls={controls}
          kind="Artist"
          art={<EntityHeaderArt src={artist.image_url} name={artist.name} round />}
          byline={artist.genres.length > 0 && <GenreChips genres={artist.genres} />}
          among="artists"
          top={{ title: "Top tracks", list: <EntityTopTracks tracks={artist.top_tracks} by={artist.by} withAlbum artistId={artist.artist_id} /> }}
          mood={artist.mood}
          exclude={<ExcludeButton rule={{ kind: "artist", item_id: artist.artist_id }} what={`every play of ${artist.name}`} />}
        />
      )}
    </EntityView>
  );
}
