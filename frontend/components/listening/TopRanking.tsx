"use client";

import { useCallback, useState } from "react";
import type { DateRange, TopMeasure } from "@/lib/api";
import { formatInt } from "@/lib/format";
import {
  getTopPage,
  type TopAlbum,
  type TopArtist,
  type TopKind,
  type TopPage,
  type TopShow,
  type TopTrack,
} from "@/lib/listening";
import { useApi } from "@/lib/useApi";
import EmptyState from "@/components/states/EmptyState";
import Loaded from "@/components/states/Loaded";
import TopAlbums from "./TopAlbums";
import MoreButton from "./MoreButton";
import TopArtists from "./TopArtists";
import TopShows from "./TopShows";
import TopTracks from "./TopTracks";
import styles from "./TopRanking.module.css";

/** What a top list is called, one and many. */
export const TOP_NOUNS: Record<TopKind, { one: string; many: string }> = {
  tracks: { one: "track", many: "tracks" },
  artists: { one: "artist", many: "artists" },
  albums: { one: "album", many: "albums" },
  shows: { one: "show", many: "shows" },
  audiobooks: { one: "audiobook", many: "audiobooks" },
};

const EMPTY: Record<TopKind, { title: string; hint: string }> = {
  tracks: { title: "No music in this range", hint: "Pick a wider range: music you play shows up here." },
  artists: { title: "No music in this range", hint: "Pick a wider range: the artists you play show up here." },
  albums: {
    title: "No albums in this range",
    hint: "Pick a wider range. Plays from the account data name no album until the extended history is imported.",
  },
  shows: {
    title: "No podcasts in this range",
    hint: "Podcast episodes in your extended streaming history show up here: pick a wider range or import it.",
  },
  audiobooks: {
    title: "No audiobooks in this range",
    hint: "Audiobook chapters in your extended streaming history show up here: pick a wider range or import it.",
  },
};

type AnyItem = TopTrack | TopArtist | TopAlbum | TopShow;

function TopItems({ kind, by, items }: { kind: TopKind; by: TopMeasure; items: AnyItem[] }) {
  switch (kind) {
    case "tracks":
      return <TopTracks by={by} items={items as TopTrack[]} />;
    case "artists":
      return <TopArtists by={by} items={items as TopArtist[]} />;
    case "albums":
      return <TopAlbums by={by} items={items as TopAlbum[]} />;
    case "shows":
      return <TopShows by={by} items={items as TopShow[]} parts={{ one: "episode", many: "episodes" }} testId="top-shows" />;
    case "audiobooks":
      return (
        <TopShows by={by} items={items as TopShow[]} parts={{ one: "chapter", many: "chapters" }} testId="top-audiobooks" />
      );
  }
}

interface TopRankingProps {
  kind: TopKind;
  range: DateRange;
  by: TopMeasure;
}

/**
 * A top list's first page, and the next ones appended by "Show more". Give it a `key` made
 * of its props: a new list starts from its first page.
 */
export default function TopRanking({ kind, range, by }: TopRankingProps) {
  const first = useApi(useCallback(() => getTopPage(kind, range, by), [kind, range, by]));
  const [more, setMore] = useState<AnyItem[]>([]);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string>();

  const showMore = (page: TopPage<TopKind>) => {
    setPending(true);
    setFailure(undefined);
    getTopPage(kind, range, by, page.items.length + more.length).then(
      (next) => {
        setMore([...more, ...next.items]);
        setPending(false);
      },
      (error: unknown) => {
        setFailure(error instanceof Error ? error.message : String(error));
        setPending(false);
      },
    );
  };

  return (
    <Loaded state={first} loadingLabel={`Loading your top ${TOP_NOUNS[kind].many}…`}>
      {(page) => {
        if (page.total === 0) {
          return (
            <EmptyState title={EMPTY[kind].title}>
              <p>{EMPTY[kind].hint}</p>
            </EmptyState>
          );
        }
        const items = [...page.items, ...more];
        const noun = page.total === 1 ? TOP_NOUNS[kind].one : TOP_NOUNS[kind].many;
        return (
          <>
            <TopItems kind={kind} by={page.by} items={items} />
            <div className={styles.footer}>
              <p className={styles.count} data-testid="top-count" aria-live="polite">
                {formatInt(items.length)} of {formatInt(page.total)} {noun}
              </p>
              {items.length < page.total && (
                <MoreButton label="Show more" pending={pending} failure={failure} onClick={() => showMore(page)} testId="show-more" />
              )}
            </div>
          </>
        );
      }}
    </Loaded>
  );
}
