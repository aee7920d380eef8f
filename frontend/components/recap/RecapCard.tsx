import EntityLink from "@/components/primitives/EntityLink";
import type { Ref } from "react";
import { formatDate, formatDuration, formatHours, formatInt, formatPercent, formatScore, formatTime } from "@/lib/format";
import { artistHref, trackHref } from "@/lib/links";
import { moodColor } from "@/lib/mood";
import { describeDays, type Recap, type RecapDay } from "@/lib/recap";
import ArtistLinks from "@/components/listening/ArtistLinks";
import RecapComparison from "./RecapComparison";
import styles from "./RecapCard.module.css";

const HOUR_MS = 3_600_000;

interface RecapCardProps {
  recap: Recap;
  /** The period's name: "2025", "March 2026", or its first and last day. */
  title: string;
  timeZone: string;
  ref?: Ref<HTMLElement>;
}

function plural(count: number, one: string, many: string): string {
  return `${formatInt(count)} ${count === 1 ? one : many}`;
}

/** The headline: whole hours from an hour on, minutes below. */
function headline(ms: number): { value: string; unit: string } {
  if (ms >= HOUR_MS) return { value: formatHours(ms), unit: Math.round(ms / HOUR_MS) === 1 ? "hour" : "hours" };
  return { value: formatInt(Math.round(ms / 60_000)), unit: "minutes" };
}

function MoodDayTile({ label, day, testId }: { label: string; day: RecapDay; testId: string }) {
  const color = day.valence === null ? undefined : moodColor(day.valence);
  return (
    <section className={styles.tile} data-testid={testId}>
      <h3 className={styles.tileTitle}>{label}</h3>
      <p className={styles.tileValue} data-testid="day-date">
        {formatDate(day.date)}
      </p>
      <p className={styles.detail}>
        <span className={styles.swatch} style={{ background: color }} aria-hidden="true" />
        valence <strong data-testid="day-valence">{formatScore(day.valence)}</strong> · {formatDuration(day.listening_ms)}
      </p>
      {day.top_track && (
        <p className={styles.detail}>
          On repeat: <EntityLink href={trackHref(day.top_track.track_id)}>{day.top_track.name}</EntityLink>
        </p>
      )}
    </section>
  );
}

/** The shareable recap: one card, drawn as is into the PNG download. */
export default function RecapCard({ recap, title, timeZone, ref }: RecapCardProps) {
  const { totals, mood, longest_session: session, busiest_day: busiest } = recap;
  const big = headline(totals.listening_ms);
  const range = describeDays(recap.from, recap.to);
  const moodRule = `Brightest and most melancholic among days with at least ${formatDuration(recap.mood_day_min_listening_ms)} of music, ${formatPercent(recap.mood_day_min_coverage)} of it with audio features.`;

  return (
    <article className={styles.card} ref={ref} aria-labelledby="recap-title" data-testid="recap-card">
      <header className={styles.header}>
        <p className={styles.brand}>Moodify recap</p>
        <h2 id="recap-title" className={styles.title}>
          {title}
        </h2>
        {range !== title && <p className={styles.range}>{range}</p>}
      </header>

      <section className={styles.hero} aria-label="Listening time">
        <p className={styles.big} data-testid="recap-hours">
          {big.value}
          <span className={styles.bigUnit}>{big.unit}</span>
        </p>
        <p className={styles.heroText}>
          of listening, <span data-testid="recap-minutes">{formatInt(Math.round(totals.listening_ms / 60_000))}</span>{" "}
          minutes in all
        </p>
        <dl className={styles.stats}>
          <div>
            <dt>Plays</dt>
            <dd data-testid="recap-plays">{formatInt(totals.plays)}</dd>
          </div>
          <div>
            <dt>Days listened</dt>
            <dd data-testid="recap-days">
              {formatInt(totals.listening_days)}
              <span className={styles.of}> of {formatInt(recap.days)}</span>
            </dd>
          </div>
          <div>
            <dt>Tracks</dt>
            <dd data-testid="recap-tracks">{formatInt(totals.distinct_tracks)}</dd>
          </div>
          <div>
            <dt>Artists</dt>
            <dd data-testid="recap-artists">{formatInt(totals.distinct_artists)}</dd>
          </div>
        </dl>
      </section>

      <div className={styles.grid}>
        <RankingTile
          title="Top artists"
          testId="recap-top-artists"
          rows={recap.top_artists.map((artist) => ({
            key: artist.artist_id,
            rank: artist.rank,
            name: artist.name,
            href: artistHref(artist.artist_id),
            listeningMs: artist.listening_ms,
          }))}
        />
        <RankingTile
          title="Top tracks"
          testId="recap-top-tracks"
          rows={recap.top_tracks.map((track) => ({
            key: track.track_id,
            rank: track.rank,
            name: track.name,
            href: trackHref(track.track_id),
            artists: track.artist_ids.map((artist_id, i) => ({ artist_id, name: track.artists[i] })),
            listeningMs: track.listening_ms,
          }))}
        />

        {recap.brightest_day ? (
          <MoodDayTile label="Brightest day" day={recap.brightest_day} testId="recap-brightest" />
        ) : (
          <section className={styles.tile} data-testid="recap-brightest">
            <h3 className={styles.tileTitle}>Brightest day</h3>
            <p className={styles.detail}>No day had enough music with audio features to tell. {moodRule}</p>
          </section>
        )}
        {recap.melancholic_day && (
          <MoodDayTile label="Most melancholic day" day={recap.melancholic_day} testId="recap-melancholic" />
        )}

        {session && (
          <section className={styles.tile} data-testid="recap-session">
            <h3 className={styles.tileTitle}>Longest session</h3>
            <p className={styles.tileValue} data-testid="session-length">
              {formatDuration(new Date(session.ended_at).getTime() - new Date(session.started_at).getTime())}
            </p>
            <p className={styles.detail}>
              {formatDate(session.date)}, {formatTime(session.started_at, timeZone)}–{formatTime(session.ended_at, timeZone)}
            </p>
            <p className={styles.detail}>{plural(session.plays, "play", "plays")}</p>
          </section>
        )}

        {busiest && (
          <section className={styles.tile} data-testid="recap-busiest">
            <h3 className={styles.tileTitle}>Busiest day</h3>
            <p className={styles.tileValue} data-testid="day-date">
              {formatDate(busiest.date)}
            </p>
            <p className={styles.detail}>
              <span data-testid="busiest-time">{formatDuration(busiest.listening_ms)}</span> ·{" "}
              {plural(busiest.plays, "play", "plays")}
            </p>
          </section>
        )}

        <section className={`${styles.tile} ${styles.half}`} data-testid="recap-discoveries">
          <h3 className={styles.tileTitle}>Discoveries</h3>
          <p className={styles.tileValue}>
            <span data-testid="recap-new-artists">{plural(totals.new_artists, "new artist", "new artists")}</span>
          </p>
          <p className={styles.detail} data-testid="recap-new-tracks">
            {plural(totals.new_tracks, "new track", "new tracks")}
          </p>
          {recap.top_discoveries.length > 0 && (
            <p className={styles.detail}>
              Top finds:{" "}
              {recap.top_discoveries.map((artist, index) => (
                <span key={artist.artist_id}>
                  {index > 0 && ", "}
                  <EntityLink href={artistHref(artist.artist_id)}>{artist.name}</EntityLink>
                </span>
              ))}
            </p>
          )}
        </section>

        <section className={`${styles.tile} ${styles.half}`} data-testid="recap-mood">
          <h3 className={styles.tileTitle}>Mood</h3>
          {mood.valence === null ? (
            <p className={styles.detail}>No audio features known for this music yet.</p>
          ) : (
            <>
              <p className={styles.tileValue}>
                <span className={styles.swatch} style={{ background: moodColor(mood.valence) }} aria-hidden="true" />
                valence <span data-testid="mood-valence">{formatScore(mood.valence)}</span>
              </p>
              <p className={styles.detail}>
                energy <span data-testid="mood-energy">{formatScore(mood.energy)}</span> · features for{" "}
                {formatPercent(mood.coverage)} of the music
              </p>
            </>
          )}
        </section>

        <RecapComparison comparison={recap.comparison} rangeEnd={recap.to} />
      </div>

      <footer className={styles.footer}>
        <span>{moodRule}</span>
        <span className={styles.footerBrand}>moodify</span>
      </footer>
    </article>
  );
}

interface RankedRow {
  key: string;
  rank: number;
  name: string;
  href: string;
  /** Who made it, under its name (a track's artists). */
  artists?: { artist_id: string; name: string }[];
  listeningMs: number;
}

/** A tile of the period's tops: rank, name linking to its page, listening time. */
function RankingTile({ title, rows, testId }: { title: string; rows: RankedRow[]; testId: string }) {
  return (
    <section className={`${styles.tile} ${styles.list}`} data-testid={testId}>
      <h3 className={styles.tileTitle}>{title}</h3>
      <ol className={styles.ranking}>
        {rows.map((row) => (
          <li key={row.key}>
            <span className={styles.rank}>{row.rank}</span>
            <span className={styles.rowText}>
              <EntityLink className={styles.name} href={row.href}>
                {row.name}
              </EntityLink>
              {row.artists && (
                <span className={styles.by}>
                  <ArtistLinks artists={row.artists} />
                </span>
              )}
            </span>
            <span className={styles.amount}>{formatDuration(row.listeningMs)}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
