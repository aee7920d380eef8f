import EntityLink from "@/components/primitives/EntityLink";
import type { SearchHit, SearchResults as Answer } from "@/lib/search";
import { formatDuration, formatInt } from "@/lib/format";
import { albumHref, artistHref, showHref, trackHref } from "@/lib/links";
import Artwork from "@/components/primitives/Artwork";
import Panel from "@/components/primitives/Panel";
import EmptyState from "@/components/states/EmptyState";
import styles from "./SearchResults.module.css";

const HREF: Record<SearchHit["kind"], (id: string) => string> = {
  track: trackHref,
  artist: artistHref,
  album: albumHref,
  show: showHref,
  audiobook: showHref,
};

const GROUPS = [
  { key: "tracks", title: "Tracks" },
  { key: "artists", title: "Artists" },
  { key: "albums", title: "Albums" },
  { key: "shows", title: "Shows and audiobooks" },
] as const;

function Hit({ hit }: { hit: SearchHit }) {
  return (
    <li>
      <EntityLink href={HREF[hit.kind](hit.id)} className={styles.row} data-testid="search-hit" data-kind={hit.kind}>
        <Artwork src={hit.image_url} name={hit.name} round={hit.kind === "artist"} />
        <span className={styles.main}>
          <span className={styles.name} data-testid="search-hit-name">
            {hit.name}
          </span>
          <span className={styles.meta}>
            {hit.kind === "audiobook" ? "Audiobook" : hit.detail}
          </span>
        </span>
        <span className={styles.figures}>
          <span data-testid="search-hit-plays">{formatInt(hit.plays)}</span> plays
          <span className={styles.time}>{formatDuration(hit.listening_ms)}</span>
        </span>
      </EntityLink>
    </li>
  );
}

export default function SearchResults({ results }: { results: Answer }) {
  const groups = GROUPS.filter(({ key }) => results[key].length > 0);
  if (groups.length === 0) {
    return (
      <EmptyState title={`Nothing you have played matches “${results.query}”`}>
        <p>Check the spelling, try part of the name, or import more of your history on the Import page.</p>
      </EmptyState>
    );
  }
  return (
    <div className={styles.groups} data-testid="search-results">
      {groups.map(({ key, title }) => (
        <Panel key={key} title={title} testId={`search-${key}`}>
          <ul className={styles.list}>
            {results[key].map((hit) => (
              <Hit key={`${hit.kind}:${hit.id}`} hit={hit} />
            ))}
          </ul>
        </Panel>
      ))}
    </div>
  );
}
