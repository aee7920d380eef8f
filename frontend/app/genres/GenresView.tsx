"use client";

import Link from "next/link";
import { useCallback } from "react";
import type { DateRange } from "@/lib/api";
import { formatPercent } from "@/lib/format";
import { getGenreTrend, getTopGenres } from "@/lib/genres";
import { HEADINGS } from "@/lib/headings";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import GenreShareChart from "@/components/genres/GenreShareChart";
import TopGenresList from "@/components/genres/TopGenresList";
import RangedPage from "@/components/layout/RangedPage";
import { MeasureToggle, rankedBy, topMeasure, useDefaultMeasure } from "@/components/listening/TopMeasure";
import Panel from "@/components/primitives/Panel";
import EmptyState from "@/components/states/EmptyState";
import HistoryGate from "@/components/states/HistoryGate";
import Loaded from "@/components/states/Loaded";
import NothingInRange from "@/components/states/NothingInRange";
import styles from "./GenresView.module.css";

export default function GenresView() {
  return (
    <RangedPage {...HEADINGS.genres}>
      {(range, onRangeChange) => (
        <HistoryGate loadingLabel="Loading your genres…">
          <Genres range={range} onShowAll={() => onRangeChange({})} />
        </HistoryGate>
      )}
    </RangedPage>
  );
}

/** What coverage means, beside the figure: genres are the artists', where a provider knows them. */
function Coverage({ coverage }: { coverage: number }) {
  return (
    <p className={styles.coverage} data-testid="genre-coverage">
      Genres known for <strong>{formatPercent(coverage)}</strong> of your music listening time in this range: the
      tracks with at least one artist whose genre Spotify or MusicBrainz knows.{" "}
      {coverage < 1 && <Link href="/settings/#providers">See the providers’ coverage</Link>}
    </p>
  );
}

function Genres({ range, onShowAll }: { range: DateRange; onShowAll: () => void }) {
  const [query, setQuery] = useQuery();
  const defaultBy = useDefaultMeasure();
  const by = topMeasure(query.get("by"), defaultBy);
  const top = useApi(useCallback(() => getTopGenres(range, by), [range, by]));
  const trend = useApi(useCallback(() => getGenreTrend(range), [range]));

  return (
    <Loaded state={top} loadingLabel="Loading your genres…">
      {(genres) =>
        genres.listening_ms === 0 ? (
          <NothingInRange what="music" onShowAll={onShowAll} />
        ) : genres.items.length === 0 ? (
          <EmptyState title="No genres known for this music yet">
            <p>
              Genres come from Spotify’s artists, then MusicBrainz, a few artists each run.{" "}
              <Link href="/settings/#providers">See the providers’ coverage</Link>.
            </p>
          </EmptyState>
        ) : (
          <div className={styles.layout}>
            <Coverage coverage={genres.coverage} />
            <div className={styles.columns}>
              <Panel
                title="Top genres"
                subtitle={`${rankedBy(by)}; the share of your music time (a track counts for each of its genres)`}
                testId="panel-top-genres"
                actions={
                  <MeasureToggle
                    value={by}
                    onChange={(value) => setQuery({ by: value === defaultBy ? undefined : value })}
                    testId="genres-measure"
                  />
                }
              >
                <TopGenresList genres={genres} by={by} />
              </Panel>
              <Panel
                title="Genre share over time"
                subtitle="Of the music whose genre is known; a track with several genres is shared between them"
                testId="panel-genre-trend"
              >
                <Loaded state={trend}>
                  {(answer) =>
                    answer.genres.length === 0 ? (
                      <EmptyState title="No genres known in this range" />
                    ) : (
                      <GenreShareChart trend={answer} />
                    )
                  }
                </Loaded>
              </Panel>
            </div>
          </div>
        )
      }
    </Loaded>
  );
}
