"use client";

import Link from "next/link";
import { useCallback } from "react";
import type { DateRange } from "@/lib/api";
import { formatHours, formatInt } from "@/lib/format";
import { getPodcasts, type ShowGroup } from "@/lib/playback";
import { useTimeZone } from "@/lib/session";
import { useApi } from "@/lib/useApi";
import { HEADINGS } from "@/lib/headings";
import RangedPage from "@/components/layout/RangedPage";
import HourStrip from "@/components/podcasts/HourStrip";
import ShowList from "@/components/podcasts/ShowList";
import Panel from "@/components/primitives/Panel";
import StatCard from "@/components/primitives/StatCard";
import StatGrid from "@/components/primitives/StatGrid";
import EmptyState from "@/components/states/EmptyState";
import HistoryGate from "@/components/states/HistoryGate";
import Loaded from "@/components/states/Loaded";
import NothingInRange from "@/components/states/NothingInRange";
import styles from "./PodcastsView.module.css";

const SHOWN = 10;

export default function PodcastsView() {
  return (
    <RangedPage {...HEADINGS.podcasts}>
      {(range, onRangeChange) => (
        <HistoryGate loadingLabel="Loading your podcasts…">
          <Podcasts range={range} onShowAll={() => onRangeChange({})} />
        </HistoryGate>
      )}
    </RangedPage>
  );
}

function finishedHint(group: ShowGroup, unit: string): string {
  const { started } = group.totals;
  return started === 0 ? `No ${unit} started` : `of ${formatInt(started)} started`;
}

/** Listening time as a headline: whole hours, or minutes under an hour. */
function timeFigure(ms: number): { value: string; unit: string } {
  return ms < 3_600_000 ? { value: formatInt(ms / 60_000), unit: "min" } : { value: formatHours(ms), unit: "h" };
}

function Podcasts({ range, onShowAll }: { range: DateRange; onShowAll: () => void }) {
  const timeZone = useTimeZone();
  const podcasts = useApi(useCallback(() => getPodcasts(range, SHOWN), [range]));
  const everywhere = !range.from && !range.to;
  return (
    <Loaded state={podcasts} loadingLabel="Loading your podcasts…">
      {({ shows, audiobooks, hours }) =>
        shows.totals.plays + audiobooks.totals.plays === 0 ? (
          everywhere ? (
            <NoPodcastsYet />
          ) : (
            <NothingInRange what="podcasts or audiobooks" onShowAll={onShowAll} />
          )
        ) : (
          <div className={styles.layout}>
            <StatGrid testId="podcast-cards">
              <StatCard
                testId="card-podcast-time"
                label="Podcasts"
                {...timeFigure(shows.totals.listening_ms)}
                hint={`${formatInt(shows.count)} shows`}
                highlight
              />
              <StatCard
                testId="card-episodes-finished"
                label="Episodes finished"
                value={formatInt(shows.totals.finished)}
                hint={finishedHint(shows, "episodes")}
              />
              <StatCard
                testId="card-audiobook-time"
                label="Audiobooks"
                {...timeFigure(audiobooks.totals.listening_ms)}
                hint={`${formatInt(audiobooks.count)} books`}
              />
              <StatCard
                testId="card-chapters-finished"
                label="Chapters finished"
                value={formatInt(audiobooks.totals.finished)}
                hint={finishedHint(audiobooks, "chapters")}
              />
            </StatGrid>
            <div className={styles.columns}>
              <Panel title="Shows" subtitle="By listening time; finished means played to the end" testId="panel-shows">
                {shows.items.length > 0 ? (
                  <ShowList group={shows} unit="episodes" testId="shows" />
                ) : (
                  <p className={styles.note}>No podcast episodes in this range.</p>
                )}
              </Panel>
              <Panel title="Audiobooks" subtitle="By listening time, chapter by chapter" testId="panel-audiobooks">
                {audiobooks.items.length > 0 ? (
                  <ShowList group={audiobooks} unit="chapters" testId="audiobooks" />
                ) : (
                  <p className={styles.note} data-testid="audiobooks-none">
                    No audiobooks in this range. Moodify tells audiobook chapters apart from podcast episodes where the
                    extended streaming history names them.
                  </p>
                )}
              </Panel>
            </div>
            <Panel
              title="Time of day"
              subtitle="When you start podcasts and audiobooks, hour by hour"
              testId="panel-podcast-hours"
            >
              <HourStrip hours={hours} timeZone={timeZone} />
            </Panel>
          </div>
        )
      }
    </Loaded>
  );
}

function NoPodcastsYet() {
  return (
    <EmptyState title="No podcasts or audiobooks yet">
      <p data-testid="no-podcasts">
        Spotify’s Web API reports music only. Your extended streaming history has the episodes and audiobook chapters
        you played: request it from Spotify and <Link href="/import/">upload it on the Import page</Link>.
      </p>
    </EmptyState>
  );
}
