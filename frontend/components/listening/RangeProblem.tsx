import type { DateRange } from "@/lib/api";
import { isIsoDate } from "@/lib/dates";
import EmptyState from "@/components/states/EmptyState";

interface RangeProblemProps {
  /** The range as the address gives it. */
  range: DateRange;
  /** What is wrong with it (`rangeProblem`). */
  problem: string;
  onRangeChange: (range: DateRange) => void;
}

/** A range in the address that the picker never makes, explained, with the way out. */
export default function RangeProblem({ range: { from, to }, problem, onRangeChange }: RangeProblemProps) {
  const reversed = !!from && !!to && isIsoDate(from) && isIsoDate(to);
  return (
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
  );
}
