"use client";

import { getSummary, type Granularity } from "@/lib/api";
import { yearsBetween } from "@/lib/dates";
import { useTimeZone } from "@/lib/session";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import { HEADINGS } from "@/lib/headings";
import Loaded from "@/components/states/Loaded";
import MoodYear from "./MoodYear";
import PageHeading from "@/components/primitives/PageHeading";
import SegmentedControl from "@/components/primitives/SegmentedControl";
import NoPlaysYet from "@/components/states/NoPlaysYet";

const GRANULARITIES: Granularity[] = ["day", "week", "month"];

export default function MoodView() {
  const [query, setQuery] = useQuery();
  const timeZone = useTimeZone();
  const summary = useApi(getSummary);
  const first = summary.data?.first_played_at;
  const last = summary.data?.last_played_at;
  const years = first && last ? yearsBetween(first, last, timeZone) : [];
  const requested = Number(query.get("year"));
  const year = years.includes(requested) ? requested : years[years.length - 1];
  const granularity = GRANULARITIES.find((g) => g === query.get("granularity")) ?? "week";

  return (
    <>
      <PageHeading {...HEADINGS.mood}>
        {year !== undefined && (
          <SegmentedControl
            label="Year"
            segments={years.map((y) => ({ value: String(y), label: String(y) }))}
            value={String(year)}
            onChange={(value) => setQuery({ year: value })}
            testId="year-selector"
          />
        )}
      </PageHeading>
      <Loaded state={summary} loadingLabel="Loading your mood…">
        {() =>
          year === undefined ? (
            <NoPlaysYet />
          ) : (
            <MoodYear
              year={year}
              granularity={granularity}
              onGranularityChange={(value) => setQuery({ granularity: value })}
            />
          )
        }
      </Loaded>
    </>
  );
}
