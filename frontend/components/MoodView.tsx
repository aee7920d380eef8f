"use client";

import { getSummary, type Granularity } from "@/lib/api";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import Loaded from "./Loaded";
import MoodYear from "./MoodYear";
import NoPlaysYet from "./NoPlaysYet";
import PageHeading from "./PageHeading";
import SegmentedControl from "./SegmentedControl";

const GRANULARITIES: Granularity[] = ["day", "week", "month"];

/** Years from the first play to the last, in the browser's time zone. */
function yearsBetween(first: string, last: string): number[] {
  const years: number[] = [];
  for (let year = new Date(first).getFullYear(); year <= new Date(last).getFullYear(); year++) years.push(year);
  return years;
}

export default function MoodView() {
  const [query, setQuery] = useQuery();
  const summary = useApi(() => getSummary(), []);
  const requested = Number(query.get("year"));
  const granularity = GRANULARITIES.find((g) => g === query.get("granularity")) ?? "week";

  return (
    <Loaded state={summary} loadingLabel="Loading your mood…">
      {({ first_played_at: first, last_played_at: last }) => {
        if (!first || !last) {
          return (
            <>
              <PageHeading title="Mood" subtitle="How your music felt, day by day" />
              <NoPlaysYet />
            </>
          );
        }
        const years = yearsBetween(first, last);
        const year = years.includes(requested) ? requested : years[years.length - 1];
        return (
          <>
            <PageHeading title="Mood" subtitle="How your music felt, day by day: valence is musical positiveness">
              <SegmentedControl
                label="Year"
                segments={years.map((y) => ({ value: String(y), label: String(y) }))}
                value={String(year)}
                onChange={(value) => setQuery({ year: value })}
                testId="year-selector"
              />
            </PageHeading>
            <MoodYear
              year={year}
              granularity={granularity}
              onGranularityChange={(value) => setQuery({ granularity: value })}
            />
          </>
        );
      }}
    </Loaded>
  );
}
