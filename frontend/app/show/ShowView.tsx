"use client";

import { getShow } from "@/lib/entities";
import EntityHeaderArt from "@/components/entities/EntityHeaderArt";
import EntityPage from "@/components/entities/EntityPage";
import EntityView from "@/components/entities/EntityView";
import ExcludeButton from "@/components/exclusions/ExcludeButton";
import ShowEpisodes from "@/components/entities/ShowEpisodes";

export default function ShowView() {
  return (
    <EntityView kind="show" load={getShow}>
      {(show, controls) => {
        const audiobook = show.kind === "audiobook";
        return (
          <EntityPage
            entity={show}
            controls={controls}
            kind={audiobook ? "Audiobook" : "Podcast"}
            art={<EntityHeaderArt src={null} name={show.name} />}
            among={audiobook ? "audiobooks" : "shows"}
            exclude={<ExcludeButton rule={{ kind: "show", show_name: show.name }} what={`every episode of ${show.name}`} />}
            top={{
              title: audiobook ? "Top chapters" : "Top episodes",
              list: <ShowEpisodes episodes={show.top_episodes} by={show.by} />,
            }}
          />
        );
      }}
    </EntityView>
  );
}
