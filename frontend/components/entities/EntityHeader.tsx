import type { ReactNode } from "react";
import type { Entity } from "@/lib/entities";
import SpotifyIcon from "@/components/account/SpotifyIcon";
import styles from "./EntityHeader.module.css";

interface EntityHeaderProps {
  /** What it is: "Track", "Artist", "Album", "Podcast", "Audiobook". */
  kind: string;
  name: string;
  /** Its artwork (an `EntityHeaderArt`). */
  art: ReactNode;
  /** A line under the name: its artists, album, release. */
  byline?: ReactNode;
  entity: Pick<Entity, "spotify_url" | "spotify_link">;
  /** The page's controls: the range picker. */
  children: ReactNode;
}

/** An entity page's title block: artwork, kind, name, byline, a way into Spotify, the range. */
export default function EntityHeader({ kind, name, art, byline, entity, children }: EntityHeaderProps) {
  const exact = entity.spotify_link === "item";
  return (
    <header className={styles.header}>
      <div className={styles.identity}>
        {art}
        <div className={styles.text}>
          <p className={styles.kind}>{kind}</p>
          <h1 className={styles.name} data-testid="entity-name">
            {name}
          </h1>
          {byline && (
            <p className={styles.byline} data-testid="entity-byline">
              {byline}
            </p>
          )}
          <a
            className={styles.spotify}
            href={entity.spotify_url}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="open-in-spotify"
            title={exact ? undefined : "Your export gives no Spotify link for it: this searches Spotify for its name"}
          >
            <SpotifyIcon className={styles.icon} />
            {exact ? "Open in Spotify" : "Search on Spotify"}
          </a>
        </div>
      </div>
      <div className={styles.controls}>{children}</div>
    </header>
  );
}
