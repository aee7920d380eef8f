"use client";

import { useCallback } from "react";
import { getMoodCalendar, getMoodTrends, type Granularity } from "@/lib/api";
import { useApi } from "@/lib/useApi";
import MoodTrendsChart from "@/components/charts/MoodTrendsChart";
import MoodCalendar from "@/components/mood/MoodCalendar";
import MoodHighlights from "@/components/mood/MoodHighlights";
import MoodLegend from "@/components/mood/MoodLegend";
import Panel from "@/components/primitives/Panel";
import SegmentedControl from "@/components/primitives/SegmentedControl";
import EmptyState from "@/components/states/EmptyState";
import Loaded from "@/components/states/Loaded";
import styles from "./MoodYear.module.css";

const GRANULARITY_SEGMENTS: { value: Granularity; label: string }[] = [
  { value: "day", label: "Day" },
  { value: "week", label: "Week" },
  { value: "month", label: "Month" },
];

interface MoodYearProps {
  year: number;
  granularity: Granularity;
  onGranularityChange: (granularity: Granularity) => void;
}

/** One year of mood: the daily calendar and the valence/energy trend. */
export default function MoodYear({ year, granularity, onGranularityChange }: MoodYearProps) {
  const calendar = useApi(useCallback(() => getMoodCalendar({ year }), [year]));
  const trends = useApi(
    useCallback(() => getMoodTrends({ from: `${year}-01-01`, to: `${year}-12-31` }, granularity), [year, granularity]),
  );

  return (
    <div className={styles.layout}>
      <Panel title={`Daily mood in ${year}`} subtitle="Each square is a day, coloured by the valence of what you played">
        <Loaded state={calendar}>
          {({ days }) =>
            days.length === 0 ? (
              <EmptyState title={`No listening in ${year}`} />
            ) : (
              <>
                <MoodHighlights days={days} />
                <MoodCalendar year={year} days={days} />
                <MoodLegend />
              </>
            )
          }
        </Loaded>
      </Panel>
      {/* Shown once the calendar above has its height, so that its arrival never moves this
          panel on screen (a layout shift); both are asked for at once. */}
      {(calendar.data !== undefined || calendar.error !== undefined) && (
        <Panel
          title="Valence & energy over time"
          subtitle="Weighted by listening time; the shaded area is the share of listening with audio features"
          actions={
            <SegmentedControl
              label="Granularity"
              segments={GRANULARITY_SEGMENTS}
              value={granularity}
              onChange={onGranularityChange}
              testId="granularity"
            />
          }
        >
          <Loaded state={trends}>
            {({ points }) =>
              points.length === 0 ? (
                <EmptyState title={`No listening in ${year}`} />
              ) : (
                <MoodTrendsChart points={points} granularity={granularity} />
              )
            }
          </Loaded>
        </Panel>
      )}
    </div>
  );
}
