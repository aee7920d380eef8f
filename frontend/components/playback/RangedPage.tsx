"use client";

import { useMemo, type ReactNode } from "react";
import { getSummary, type DateRange } from "@/lib/api";
import { isIsoDate, rangeProblem } from "@/lib/dates";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import DateRangePicker from "@/components/primitives/DateRangePicker";
import PageHeading from "@/components/primitives/PageHeading";
import EmptyState from "@/components/states/EmptyState";
import Loaded from "@/components/states/Loaded";
import NoPlaysYet from "@/components/states/NoPlaysYet";

interface RangedPageProps {
  title: string;
  subtitle: string;
  loadingLabel: string;
  children: (range: DateRange, onRangeChange: (range: DateRange) => void) => ReactNode;
}

const getAllTimeSummary = () => getSummary();

/**
 * A page over a range of local days read from the address (`from`, `to`): its heading with
 * the range picker, then the page itself, or a state that says why there is nothing to show
 * (no history at all, or a range that cannot be).
 */
export default function RangedPage({ title, subtitle, loadingLabel, children }: RangedPageProps) {
  const [query, setQuery] = useQuery();
  const from = query.get("from") ?? undefined;
  const to = query.get("to") ?? undefined;
  const range = useMemo<DateRange>(() => ({ from, to }), [from, to]);
  const onRangeChange = (next: DateRange) => setQuery({ from: next.from, to: next.to });
  const summary = useApi(getAllTimeSummary);
  const problem = rangeProblem(range);
  const reversed = !!from && !!to && isIsoDate(from) && isIsoDate(to);

  return (
    <>
      <PageHeading title={title} subtitle={subtitle}>
        <DateRangePicker range={problem ? {} : range} onChange={onRangeChange} />
      </PageHeading>
      {problem ? (
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
      ) : (
        <Loaded state={summary} loadingLabel={loadingLabel}>
          {({ plays }) => (plays === 0 ? <NoPlaysYet /> : children(range, onRangeChange))}
        </Loaded>
      )}
    </>
  );
}

/** A range without the plays a page shows: a wider one may have them. */
export function NothingInRange({ what, onShowAll }: { what: string; onShowAll: () => void }) {
  return (
    <EmptyState title={`No ${what} in this range`} action={{ label: "Show all time", onClick: onShowAll }}>
      <p>Pick a wider range, or look at your whole history.</p>
    </EmptyState>
  );
}
