"use client";

import EntityLink from "@/components/primitives/EntityLink";
import { useCallback, useState } from "react";
import type { DateRange } from "@/lib/api";
import { localDay } from "@/lib/dates";
import { formatDuration, formatTime, formatWeekday } from "@/lib/format";
import { getRecentPlays, type RecentPlay, type RecentPlays as RecentPage } from "@/lib/listening";
import { showHref, trackHref } from "@/lib/links";
import { useTimeZone } from "@/lib/session";
import { useApi } from "@/lib/useApi";
import Artwork from "@/components/primitives/Artwork";
import Panel from "@/components/primitives/Panel";
import Loaded from "@/components/states/Loaded";
import NoPlays from "@/components/states/NoPlays";
import MoreButton from "./MoreButton";
import TrackCredits from "./TrackCredits";
import styles from "./RecentPlays.module.css";

interface Day {
  day: string;
  plays: RecentPlay[];
}

/** Plays (newest first) grouped by the local day they started on. */
function byDay(plays: RecentPlay[], timeZone: string): Day[] {
  const days: Day[] = [];
  for (const play of plays) {
    const day = localDay(play.started_at, timeZone);
    if (days.at(-1)?.day !== day) days.push({ day, plays: [] });
    days.at(-1)!.plays.push(play);
  }
  return days;
}

function PlayRow({ play, timeZone }: { play: RecentPlay; timeZone: string }) {
  const { track, episode } = play;
  const name = track?.name ?? episode?.name ?? "";
  return (
    <li className={styles.play} data-testid="recent-play" data-started-at={play.started_at}>
      <time className={styles.time} dateTime={play.started_at} data-testid="recent-time">
        {formatTime(play.started_at, timeZone)}
      </time>
      <Artwork src={track?.image_url ?? null} name={track?.album ?? episode?.show ?? name} round={!track} />
      <span className={styles.main}>
        {track ? (
          <EntityLink className={styles.name} href={trackHref(track.track_id)} data-testid="recent-name" title={name}>
            {name}
          </EntityLink>
        ) : (
          <span className={styles.name} data-testid="recent-name" title={name}>
            {name}
          </span>
        )}
        <span className={styles.meta}>
          {track && <TrackCredits artists={track.artists} albumId={track.album_id} album={track.album} />}
          {episode && (
            <>
              {play.kind === "chapter" ? "Audiobook" : "Podcast"}
              {episode.show && (
                <>
                  {" · "}
                  <EntityLink className={styles.link} href={showHref(episode.show)}>
                    {episode.show}
                  </EntityLink>
                </>
              )}
            </>
          )}
        </span>
      </span>
      <span className={styles.figures}>
        <span>{formatDuration(play.ms_played)}</span>
        {play.skipped && <span className={styles.skipped}>skipped</span>}
      </span>
    </li>
  );
}

interface RecentPlaysProps {
  range: DateRange;
  onShowAll: () => void;
}

/**
 * The range's plays by local day, a page at a time: "Load more" appends the next, older
 * page. Give it a `key` made of its range: a new range starts from its newest play.
 */
export default function RecentPlays({ range, onShowAll }: RecentPlaysProps) {
  const timeZone = useTimeZone();
  const first = useApi(useCallback(() => getRecentPlays(range), [range]));
  const [older, setOlder] = useState<RecentPage[]>([]);
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<string>();

  const loadMore = (before: string) => {
    setPending(true);
    setFailure(undefined);
    getRecentPlays(range, before).then(
      (page) => {
        setOlder([...older, page]);
        setPending(false);
      },
      (error: unknown) => {
        setFailure(error instanceof Error ? error.message : String(error));
        setPending(false);
      },
    );
  };

  return (
    <Loaded state={first} loadingLabel="Loading your recent plays…">
      {(page) => {
        if (page.items.length === 0) {
          return <NoPlays range={range} onShowAll={onShowAll} />;
        }
        const pages = [page, ...older];
        const next = pages.at(-1)!.next_before;
        const days = byDay(
          pages.flatMap((p) => p.items),
          timeZone,
        );
        return (
          <Panel title="Plays" subtitle={`Times in ${timeZone}`} testId="recent">
            {days.map(({ day, plays }) => (
              <section key={day} className={styles.day} aria-labelledby={`day-${day}`} data-testid="recent-day">
                <h3 id={`day-${day}`} className={styles.dayTitle} data-day={day}>
                  {formatWeekday(day)}
                </h3>
                <ol className={styles.plays}>
                  {plays.map((play) => (
                    <PlayRow
                      key={`${play.started_at} ${play.track?.track_id ?? play.episode?.episode_id}`}
                      play={play}
                      timeZone={timeZone}
                    />
                  ))}
                </ol>
              </section>
            ))}
            <div className={styles.footer}>
              {next ? (
                <MoreButton label="Load more" pending={pending} failure={failure} onClick={() => loadMore(next)} testId="load-more" />
              ) : (
                <p className={styles.end} data-testid="recent-end">
                  {range.from ? "That is every play of this range." : "That is your first play."}
                </p>
              )}
            </div>
          </Panel>
        );
      }}
    </Loaded>
  );
}
