"use client";

import { useMemo } from "react";
import { getSummary, getTopArtists, getTopTracks, type DateRange } from "@/lib/api";
import { isIsoDate } from "@/lib/dates";
import { formatDate } from "@/lib/format";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import DateRangePicker from "./DateRangePicker";
import EmptyState from "./EmptyState";
import Loaded from "./Loaded";
import NoPlaysYet from "./NoPlaysYet";
import PageHeading from "./PageHeading";
import Panel from "./Panel";
import SummaryCards from "./SummaryCards";
import TopArtists from "./TopArtists";
import TopArtistsChart from "./TopArtistsChart";
import TopTracks from "./TopTracks";
import styles from "./OverviewView.module.css";

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

  const summary = useApi(() => getSummary(range), [range]);
  const tracks = useApi(() => getTopTracks(range, 10), [range]);
  const artists = useApi(() => getTopArtists(range, 10), [range]);

  const onRangeChange = (next: DateRange) => setQuery({ from: next.from, to: next.to });
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
                  <Loaded state={artists}>{({ items }) => <TopArtistsChart items={items} />}</Loaded>
                </Panel>
              </div>
              <div className={styles.lists}>
                <Panel title="Top tracks" subtitle="Most played in this range">
                  <Loaded state={tracks}>{({ items }) => <TopTracks items={items} />}</Loaded>
                </Panel>
                <Panel title="Top artists" subtitle="Most played in this range">
                  <Loaded state={artists}>{({ items }) => <TopArtists items={items} />}</Loaded>
                </Panel>
              </div>
            </div>
          )
        }
      </Loaded>
    </>
  );
}
