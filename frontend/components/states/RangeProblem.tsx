import type { DateRange } from "@/lib/api";
import { isIsoDate } from "@/lib/dates";
import EmptyState from "./EmptyState";

interface RangeProblemProps {
  /** The range as the address gives it. */
  range: DateRange;
  /** What is wrong with it (`rangeProblem`). */
  problem: string;
  onRangeChange: (range: DateRange) => void;
  /** The way out when swapping the dates cannot help; by default, all time. */
  fallback?: { label: string; onClick: () => void };
}

/** A range in the address that the picker never makes, explained, with the way out. */
export default function RangeProblem({ range: { from, to }, problem, onRangeChange, fallback }: RangeProblemProps) {
  const reversed = !!from && !!to && isIsoDate(from) && isIsoDate(to);
  return (
    <EmptyState
      title="This range can’t be shown"
      action={
        reversed
          ? { label: "Swap the dates", onClick: () => onRangeChange({ from: to, to: from }) }
          : (fallback ?? { label: "Show all time", onClick: () => onRangeChange({}) })
      }
    >
      <p data-testid="range-problem">{problem}</p>
    </EmptyState>
  );
}
