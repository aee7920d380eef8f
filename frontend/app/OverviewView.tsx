"use client";

import { useCallback, useMemo } from "react";
import { getSummary, getTopArtists, getTopTracks, type DateRange, type TopMeasure } from "@/lib/api";
import { isIsoDate, rangeProblem } from "@/lib/dates";
import { formatDate } from "@/lib/format";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import TopArtistsChart from "@/components/charts/TopArtistsChart";
import SummaryCards from "@/components/listening/SummaryCards";
import TopArtists from "@/components/listening/TopArtists";
import { MeasureToggle, rankedBy, topMeasure } from "@/components/listening/TopMeasure";
import TopTracks from "@/components/listening/TopTracks";
import DateRangePicker from "@/components/primitives/DateRangePicker";
import PageHeading from "@/components/primitives/PageHeading";
import Panel from "@/components/primitives/Panel";
import EmptyState from "@/components/states/EmptyState";
import Loaded from "@/components/states/Loaded";
import NoPlaysYet from "@/components/states/NoPlaysYet";
import styles from "./OverviewView.module.css";

const ALL_TIME: DateRange = {};

function describeRange({ from, to }: DateRange): string {
  const show = (date: string) => (isIsoDate(date) ? formatDate(date) : date);
  if (from && to) return `${show(from)} – ${show(to)}`;
  if (from) return `Since ${show(from)}`;
  if (to) return `Until ${show(to)}`;
  return "All time";
}

export default function OverviewView() {
  const [query, setQuery] = useQuery();
  const from = query.get("from") ?? undefined;
  const to = query.get("to") ?? undefined;
  const range = useMemo<DateRange>(() => ({ from, to }), [from, to]);
  const tracksBy = topMeasure(query.get("tracks_by"));
  const artistsBy = topMeasure(query.get("artists_by"));
  const onRangeChange = (next: DateRange) => setQuery({ from: next.from, to: next.to });

  // An address the picker never makes (typed or edited by hand) is explained, not sent.
  const problem = rangeProblem(range);
  if (problem) {
    const reversed = !!from && !!to && isIsoDate(from) && isIsoDate(to);
    return (
      <>
        <PageHeading title="Overview" subtitle={describeRange(range)}>
          <DateRangePicker range={ALL_TIME} onChange={onRangeChange} />
        </PageHeading>
        <EmptyState
          title="This range can’t be shown"
          action={
            reversed
              ? { label: "Swap the dates", onClick: () => onRangeChange({ from: to, to: from }) }
              : { label: "Show all time", onClick: () => onRangeChange({}) }
          }
        >
          <p data-testid="range-problem">{problem}</p>
        </EmptyState>
      </>
    );
  }
  return (
    <Overview
      range={range}
      tracksBy={tracksBy}
      artistsBy={artistsBy}
      onRangeChange={onRangeChange}
      onMeasureChange={(list, by) => setQuery({ [`${list}_by`]: by === "listening_time" ? undefined : by })}
    />
  );
}

interface OverviewProps {
  range: DateRange;
  tracksBy: TopMeasure;
  artistsBy: TopMeasure;
  onRangeChange: (range: DateRange) => void;
  onMeasureChange: (list: "tracks" | "artists", by: TopMeasure) => void;
}

function Overview({ range, tracksBy, artistsBy, onRangeChange, onMeasureChange }: OverviewProps) {
  const summary = useApi(useCallback(() => getSummary(range), [range]));
  const tracks = useApi(useCallback(() => getTopTracks(range, tracksBy), [range, tracksBy]));
  const artists = useApi(useCallback(() => getTopArtists(range, artistsBy), [range, artistsBy]));
  const artistHours = useApi(useCallback(() => getTopArtists(range, "listening_time"), [range]));
  const empty = summary.data?.plays === 0;

  return (
    <>
      <PageHeading title="Overview" subtitle={describeRange(range)}>
        <DateRangePicker range={range} onChange={onRangeChange} />
      </PageHeading>
      <Loaded state={summary}>
        {(data) =>
          empty ? (
            range.from || range.to ? (
              <EmptyState title="No plays in this range" action={{ label: "Show all time", onClick: () => onRangeChange({}) }}>
                <p>Pick a wider range, or look at your whole history.</p>
              </EmptyState>
            ) : (
              <NoPlaysYet />
            )
          ) : (
            <div className={styles.layout}>
              <div className={styles.hero}>
                <SummaryCards summary={data} />
                <Panel title="Listening time by artist" subtitle="Your top artists, by hours listened">
                  <Loaded state={artistHours}>{({ items }) => <TopArtistsChart items={items} />}</Loaded>
                </Panel>
              </div>
              <div className={styles.lists}>
                <Panel
                  title="Top tracks"
                  testId="panel-top-tracks"
                  subtitle={rankedBy(tracks.data?.by ?? tracksBy)}
                  actions={<MeasureToggle value={tracksBy} onChange={(by) => onMeasureChange("tracks", by)} testId="tracks-by" />}
                >
                  <Loaded state={tracks}>{(answer) => <TopTracks {...answer} />}</Loaded>
                </Panel>
                <Panel
                  title="Top artists"
                  testId="panel-top-artists"
                  subtitle={rankedBy(artists.data?.by ?? artistsBy)}
                  actions={
                    <MeasureToggle value={artistsBy} onChange={(by) => onMeasureChange("artists", by)} testId="artists-by" />
                  }
                >
                  <Loaded state={artists}>{(answer) => <TopArtists {...answer} />}</Loaded>
                </Panel>
              </div>
            </div>
          )
        }
      </Loaded>
    </>
  );
}
