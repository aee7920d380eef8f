"use client";

import type { ReactNode } from "react";
import type { DateRange } from "@/lib/api";
import { rangeProblem } from "@/lib/dates";
import { useQueryRange } from "@/lib/useQuery";
import DateRangePicker from "@/components/primitives/DateRangePicker";
import PageHeading from "@/components/primitives/PageHeading";
import RangeProblem from "@/components/states/RangeProblem";

const ALL_TIME: DateRange = {};

interface RangedPageProps {
  title: string;
  subtitle: string;
  children: (range: DateRange, onRangeChange: (range: DateRange) => void) => ReactNode;
}

/**
 * A page over a range of local days read from the address (`from`, `to`): its heading with
 * the range picker, then the page itself. An address the picker never makes (typed or edited
 * by hand) is explained, not sent.
 */
export default function RangedPage({ title, subtitle, children }: RangedPageProps) {
  const [range, onRangeChange] = useQueryRange();
  const problem = rangeProblem(range);
  return (
    <>
      <PageHeading title={title} subtitle={subtitle}>
        <DateRangePicker range={problem ? ALL_TIME : range} onChange={onRangeChange} />
      </PageHeading>
      {problem ? (
        <RangeProblem range={range} problem={problem} onRangeChange={onRangeChange} />
      ) : (
        children(range, onRangeChange)
      )}
    </>
  );
}
