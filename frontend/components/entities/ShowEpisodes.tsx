import type { TopMeasure } from "@/lib/api";
import type { EntityEpisode } from "@/lib/entities";
import { Meter, RankedFigures } from "@/components/listening/TopMeasure";
import styles from "@/components/listening/TopList.module.css";

/** A show's episodes most played in the range; an episode has no page here, only Spotify's. */
export default function ShowEpisodes({ episodes, by }: { episodes: EntityEpisode[]; by: TopMeasure }) {
  return (
    <ol className={styles.list} data-testid="show-episodes">
      {episodes.map((episode) => (
        <li key={episode.episode_id} className={styles.row} data-testid="episode-row">
          <span className={styles.rank}>{episode.rank}</span>
          <span className={styles.main}>
            <span className={styles.name} title={episode.name} data-testid="episode-name">
              {episode.name}
            </span>
            {episode.spotify_url && (
              <a
                className={`${styles.meta} ${styles.link}`}
                href={episode.spotify_url}
                target="_blank"
                rel="noopener noreferrer"
              >
                {/* The name read aloud starts with the words shown, as voice control expects. */}
                Open in Spotify<span className="visually-hidden">: {episode.name}</span>
              </a>
            )}
          </span>
          <RankedFigures item={episode} by={by} />
          <Meter item={episode} items={episodes} by={by} />
        </li>
      ))}
    </ol>
  );
}
