import Link from "next/link";
import { describeScore, friendName, type Comparison, type SideMood } from "@/lib/compare";
import { formatDuration, formatPercent } from "@/lib/format";
import { artistHref, trackHref } from "@/lib/links";
import Artwork from "@/components/primitives/Artwork";
import Panel from "@/components/primitives/Panel";
import styles from "./ComparisonView.module.css";

const MEASURES = [
  { key: "valence", label: "Valence", low: "darker", high: "brighter" },
  { key: "energy", label: "Energy", low: "calmer", high: "more energetic" },
  { key: "danceability", label: "Danceability", low: "less danceable", high: "more danceable" },
] as const;

/** One friend's comparison: the score in numbers and words, what both play, and the moods. */
export default function ComparisonView({ comparison }: { comparison: Comparison }) {
  const name = friendName(comparison.friend);
  return (
    <div className={styles.grid} data-testid="comparison">
      <Score comparison={comparison} name={name} />
      <SharedArtists comparison={comparison} name={name} />
      <SharedTracks comparison={comparison} name={name} />
      <Moods comparison={comparison} name={name} />
    </div>
  );
}

function Score({ comparison, name }: { comparison: Comparison; name: string }) {
  const { score, shared_artists, my_artists, their_artists } = comparison;
  return (
    <Panel title={`You and ${name}`} testId="affinity-score" className={styles.score}>
      <p className={styles.scoreLine}>
        <span className={styles.scoreValue} data-testid="score-value">
          {Math.round(score)}
        </span>
        <span className={styles.scoreOutOf}>/ 100</span>
        <span className={styles.scoreWords}>{describeScore(score)}</span>
      </p>
      <div className={styles.meter} aria-hidden="true">
        <span style={{ width: `${score}%` }} />
      </div>
      <p className={styles.explain}>
        {score > 0 ? (
          <>
            {formatPercent(score / 100)} of your listening goes to the same artists in the same proportions as{" "}
            {name}’s: for each of the {shared_artists} artists you both play, the smaller of your two shares of
            listening time, added up. 100 would be the same artists in the same proportions; 0, none in common.
          </>
        ) : (
          <>
            None of your {my_artists} artists is among {name}’s {their_artists} in this range. The score adds up, for each
            artist you both play, the smaller of your two shares of listening time.
          </>
        )}
      </p>
    </Panel>
  );
}

function ShareBars({ mine, theirs, name }: { mine: number; theirs: number; name: string }) {
  const top = Math.max(mine, theirs) || 1;
  return (
    <div className={styles.bars}>
      <span className={styles.barRow}>
        <span className={styles.barLabel}>You</span>
        <span className={styles.barTrack}>
          <span className={styles.barMine} style={{ width: `${(mine / top) * 100}%` }} />
        </span>
        <span className={styles.barValue}>{formatPercent(mine)}</span>
      </span>
      <span className={styles.barRow}>
        <span className={styles.barLabel}>{name}</span>
        <span className={styles.barTrack}>
          <span className={styles.barTheirs} style={{ width: `${(theirs / top) * 100}%` }} />
        </span>
        <span className={styles.barValue}>{formatPercent(theirs)}</span>
      </span>
    </div>
  );
}

function SharedArtists({ comparison, name }: { comparison: Comparison; name: string }) {
  const { artists, shared_artists } = comparison;
  return (
    <Panel
      title="Artists you share"
      subtitle={`${shared_artists} in common, by the smaller of your two shares of listening time`}
      testId="shared-artists"
    >
      {artists.length === 0 ? (
        <p className={styles.none}>No artist in common in this range.</p>
      ) : (
        <ol className={styles.list}>
          {artists.map((artist) => (
            <li key={artist.artist_id} className={styles.row}>
              <Artwork src={null} name={artist.name} round />
              <div className={styles.rowBody}>
                <Link href={artistHref(artist.artist_id)} className={styles.name}>
                  {artist.name}
                </Link>
                <span className={styles.times}>
                  You {formatDuration(artist.mine_ms)} · {name} {formatDuration(artist.theirs_ms)}
                </span>
                <ShareBars mine={artist.mine_share} theirs={artist.theirs_share} name={name} />
              </div>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

function SharedTracks({ comparison, name }: { comparison: Comparison; name: string }) {
  const { tracks, shared_tracks } = comparison;
  return (
    <Panel title="Tracks you share" subtitle={`${shared_tracks} played by both of you`} testId="shared-tracks">
      {tracks.length === 0 ? (
        <p className={styles.none}>No track in common in this range.</p>
      ) : (
        <ol className={styles.list}>
          {tracks.map((track) => (
            <li key={track.track_id} className={styles.row}>
              <Artwork src={track.image_url} name={track.album ?? track.name} />
              <div className={styles.rowBody}>
                <Link href={trackHref(track.track_id)} className={styles.name}>
                  {track.name}
                </Link>
                <span className={styles.times}>{track.artists.join(", ")}</span>
                <span className={styles.times}>
                  You {formatDuration(track.mine_ms)} ({track.mine_plays} plays) · {name}{" "}
                  {formatDuration(track.theirs_ms)} ({track.theirs_plays} plays)
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

function difference(value: number | null, low: string, high: string, name: string): string {
  if (value === null) return "not known for both";
  if (Math.abs(value) < 0.02) return `about the same as ${name}`;
  return `${Math.round(Math.abs(value) * 100)} points ${value > 0 ? high : low} than ${name}`;
}

function Moods({ comparison, name }: { comparison: Comparison; name: string }) {
  const { mine, theirs, difference: delta } = comparison.mood;
  const sides: [string, SideMood, string][] = [
    ["You", mine, styles.barMine],
    [name, theirs, styles.barTheirs],
  ];
  return (
    <Panel
      title="How your moods differ"
      subtitle={`Means weighted by listening time; features known for ${formatPercent(mine.coverage)} of your music and ${formatPercent(theirs.coverage)} of ${name}’s`}
      testId="mood-comparison"
      className={styles.moods}
    >
      <dl className={styles.moodList}>
        {MEASURES.map(({ key, label, low, high }) => (
          <div key={key} className={styles.moodItem}>
            <dt className={styles.moodLabel}>
              {label}: <span className={styles.moodWords}>you are {difference(delta[key], low, high, name)}</span>
            </dt>
            {sides.map(([who, side, bar]) => {
              const value = side[key];
              return (
                <dd key={who} className={styles.barRow}>
                  <span className={styles.barLabel}>{who}</span>
                  <span className={styles.barTrack}>
                    {value !== null && <span className={bar} style={{ width: `${value * 100}%` }} />}
                  </span>
                  <span className={styles.barValue}>{value === null ? "–" : value.toFixed(2)}</span>
                </dd>
              );
            })}
          </div>
        ))}
      </dl>
    </Panel>
  );
}
