"use client";

import { useMemo } from "react";
import type { DateRange } from "@/lib/api";
import { rangeProblem } from "@/lib/dates";
import { useQuery } from "@/lib/useQuery";
import RangeProblem from "@/components/listening/RangeProblem";
import RecentPlays from "@/components/listening/RecentPlays";
import DateRangePicker from "@/components/primitives/DateRangePicker";
import PageHeading from "@/components/primitives/PageHeading";

const ALL_TIME: DateRange = {};
const SUBTITLE = "Every play, newest first, at the time it started.";

export default function RecentView() {
  const [query, setQuery] = useQuery();
  const from = query.get("from") ?? undefined;
  const to = query.get("to") ?? undefined;
  const range = useMemo<DateRange>(() => ({ from, to }), [from, to]);
  const onRangeChange = (next: DateRange) => setQuery({ from: next.from, to: next.to });
  // An address the picker never makes (typed or edited by hand) is explained, not sent.
  const problem = rangeProblem(range);
  return (
    <>
      <PageHeading title="Recently played" subtitle={SUBTITLE}>
        <DateRangePicker range={problem ? ALL_TIME : range} onChange={onRangeChange} />
      </PageHeading>
      {problem ? (
        <RangeProblem range={range} problem={problem} onRangeChange={onRangeChange} />
      ) : (
        <RecentPlays key={`${range.from} ${range.to}`} range={range} onRangeChange={onRangeChange} />
      )}
    </>
  );
}
