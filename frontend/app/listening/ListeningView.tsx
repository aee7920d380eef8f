"use client";

import { useCallback, useEffect, type KeyboardEvent } from "react";
import { getSummary, type DateRange, type TopMeasure } from "@/lib/api";
import { getListeningClock, getTopPage, TOP_KINDS, type ClockKind, type TopKind } from "@/lib/listening";
import { useApi } from "@/lib/useApi";
import { rangeProblem } from "@/lib/dates";
import { useQuery, useQueryRange } from "@/lib/useQuery";
import { HEADINGS } from "@/lib/headings";
import RangedPage from "@/components/layout/RangedPage";
import ListeningClock from "@/components/listening/ListeningClock";
import { MeasureToggle, rankedBy, topMeasure, useDefaultMeasure } from "@/components/listening/TopMeasure";
import TopRanking, { TOP_NOUNS } from "@/components/listening/TopRanking";
import Panel from "@/components/primitives/Panel";
import SegmentedControl from "@/components/primitives/SegmentedControl";
import EmptyState from "@/components/states/EmptyState";
import Loaded from "@/components/states/Loaded";
import NoPlays from "@/components/states/NoPlays";
import styles from "./ListeningView.module.css";

const CLOCK_KINDS: ClockKind[] = ["all", "music", "podcasts"];
// Shows and audiobooks get a tab only when the range has some (or the address asks for it).
const OPTIONAL_KINDS: TopKind[] = ["shows", "audiobooks"];

const capitalised = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

export default function ListeningView() {
  return (
    <RangedPage {...HEADINGS.listening}>
      {(range, onRangeChange) => <Listening range={range} onShowAll={() => onRangeChange({})} />}
    </RangedPage>
  );
}

/** What the address asks the page for: the tops' measure and tab, the clock's measure and plays. */
function useListeningAddress() {
  const [query, setQuery] = useQuery();
  const defaultBy = useDefaultMeasure();
  return {
    defaultBy,
    by: topMeasure(query.get("by"), defaultBy),
    clockBy: topMeasure(query.get("clock_by")),
    clockKind: CLOCK_KINDS.find((kind) => kind === query.get("clock_kind")) ?? "all",
    asked: TOP_KINDS.find((kind) => kind === query.get("tab")) ?? "tracks",
    setQuery,
  };
}

/**
 * Asks for the page's totals, tops and clock beside /me, instead of once /me has let the page
 * through: the page's own requests then find the answers on their way (`getJson` shares them).
 */
export function ListeningRequests() {
  const [range] = useQueryRange();
  const { by, clockBy, clockKind, asked } = useListeningAddress();
  useEffect(() => {
    if (rangeProblem(range)) return;
    // The page itself reports a failure, when it asks again.
    const ignore = () => undefined;
    getSummary(range).catch(ignore);
    for (const kind of new Set<TopKind>([asked, "shows", "audiobooks"])) getTopPage(kind, range, by).catch(ignore);
    getListeningClock(range, clockBy, clockKind).catch(ignore);
  }, [range, by, clockBy, clockKind, asked]);
  return null;
}

function Listening({ range, onShowAll }: { range: DateRange; onShowAll: () => void }) {
  const { defaultBy, by, clockBy, clockKind, asked, setQuery } = useListeningAddress();
  const summary = useApi(useCallback(() => getSummary(range), [range]));
  // The same request as the list's first page: switching to the tab reuses its answer.
  const shows = useApi(useCallback(() => getTopPage("shows", range, by), [range, by]));
  const audiobooks = useApi(useCallback(() => getTopPage("audiobooks", range, by), [range, by]));
  const clock = useApi(useCallback(() => getListeningClock(range, clockBy, clockKind), [range, clockBy, clockKind]));

  const optionalTotals: Partial<Record<TopKind, number | undefined>> = {
    shows: shows.data?.total,
    audiobooks: audiobooks.data?.total,
  };
  const tabs = TOP_KINDS.filter((kind) => !OPTIONAL_KINDS.includes(kind) || kind === asked || !!optionalTotals[kind]);
  const tab = tabs.includes(asked) ? asked : "tracks";
  const setTab = (kind: TopKind) => setQuery({ tab: kind === "tracks" ? undefined : kind });

  // Arrow keys move between tabs, as in every tab list.
  const onTabKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
    setTab(next);
    document.getElementById(`top-tab-${next}`)?.focus();
  };

  return (
    <Loaded state={summary} loadingLabel="Loading your listening…">
      {(totals) =>
        totals.plays === 0 ? (
          <NoPlays range={range} onShowAll={onShowAll} />
        ) : (
          <div className={styles.layout}>
            <Panel
              title="Listening clock"
              subtitle={clock.data ? `Weekdays and hours in ${clock.data.time_zone}` : undefined}
              testId="panel-clock"
              actions={
                <div className={styles.clockControls}>
                  <SegmentedControl
                    label="Which plays"
                    segments={[
                      { value: "all", label: "All" },
                      { value: "music", label: "Music" },
                      { value: "podcasts", label: "Podcasts" },
                    ]}
                    value={clockKind}
                    onChange={(kind) => setQuery({ clock_kind: kind === "all" ? undefined : kind })}
                    testId="clock-kind"
                  />
                  <MeasureToggle
                    value={clockBy}
                    onChange={(next: TopMeasure) => setQuery({ clock_by: next === "listening_time" ? undefined : next })}
                    testId="clock-by"
                  />
                </div>
              }
            >
              <Loaded state={clock} loadingLabel="Loading your listening clock…">
                {(answer) =>
                  answer.plays === 0 ? (
                    <EmptyState title={clockKind === "podcasts" ? "No podcasts in this range" : "No music in this range"}>
                      <p>Pick another kind of listening above, or a wider range.</p>
                    </EmptyState>
                  ) : (
                    <ListeningClock clock={answer} />
                  )
                }
              </Loaded>
            </Panel>
            <Panel
              title={`Top ${TOP_NOUNS[tab].many}`}
              subtitle={rankedBy(by)}
              testId="panel-tops"
              actions={
                <MeasureToggle
                  value={by}
                  onChange={(next) => setQuery({ by: next === defaultBy ? undefined : next })}
                  testId="tops-by"
                />
              }
            >
              <div className={styles.tabs} role="tablist" aria-label="Top lists" onKeyDown={onTabKey} data-testid="top-tabs">
                {tabs.map((kind) => (
                  <button
                    key={kind}
                    id={`top-tab-${kind}`}
                    type="button"
                    role="tab"
                    className={kind === tab ? `${styles.tab} ${styles.selected}` : styles.tab}
                    aria-selected={kind === tab}
                    aria-controls="top-tab-panel"
                    tabIndex={kind === tab ? 0 : -1}
                    onClick={() => setTab(kind)}
                  >
                    {capitalised(TOP_NOUNS[kind].many)}
                  </button>
                ))}
              </div>
              <div id="top-tab-panel" role="tabpanel" aria-labelledby={`top-tab-${tab}`}>
                <TopRanking key={`${tab} ${by} ${range.from} ${range.to}`} kind={tab} range={range} by={by} />
              </div>
            </Panel>
          </div>
        )
      }
    </Loaded>
  );
}
