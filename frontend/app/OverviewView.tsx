"use client";

import { useCallback } from "react";
import { getSummary, getTopArtists, getTopTracks, type DateRange, type TopMeasure } from "@/lib/api";
import { HEADINGS } from "@/lib/headings";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import TopArtistsChart from "@/components/charts/TopArtistsChart";
import RangedPage from "@/components/layout/RangedPage";
import SummaryCards from "@/components/listening/SummaryCards";
import TopArtists from "@/components/listening/TopArtists";
import { MeasureToggle, rankedBy, topMeasure, useDefaultMeasure } from "@/components/listening/TopMeasure";
import TopTracks from "@/components/listening/TopTracks";
import Panel from "@/components/primitives/Panel";
import Loaded from "@/components/states/Loaded";
import NoPlays from "@/components/states/NoPlays";
import styles from "./OverviewView.module.css";

export default function OverviewView() {
  return (
    <RangedPage {...HEADINGS.overview}>
      {(range, onRangeChange) => <Overview range={range} onShowAll={() => onRangeChange({})} />}
    </RangedPage>
  );
}

function Overview({ range, onShowAll }: { range: DateRange; onShowAll: () => void }) {
  const [query, setQuery] = useQuery();
  const defaultBy = useDefaultMeasure();
  const tracksBy = topMeasure(query.get("tracks_by"), defaultBy);
  const artistsBy = topMeasure(query.get("artists_by"), defaultBy);
  const onMeasureChange = (list: "tracks" | "artists", by: TopMeasure) =>
    setQuery({ [`${list}_by`]: by === defaultBy ? undefined : by });
  const summary = useApi(useCallback(() => getSummary(range), [range]));
  const tracks = useApi(useCallback(() => getTopTracks(range, tracksBy), [range, tracksBy]));
  const artists = useApi(useCallback(() => getTopArtists(range, artistsBy), [range, artistsBy]));
  const artistHours = useApi(useCallback(() => getTopArtists(range, "listening_time"), [range]));

  return (
    <Loaded state={summary}>
      {(data) =>
        data.plays === 0 ? (
          <NoPlays range={range} onShowAll={onShowAll} />
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
  );
}
