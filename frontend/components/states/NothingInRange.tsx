import EmptyState from "./EmptyState";

/** A range without what a page shows: a wider one may have it. */
export default function NothingInRange({ what, onShowAll }: { what: string; onShowAll: () => void }) {
  return (
    <EmptyState title={`No ${what} in this range`} action={{ label: "Show all time", onClick: onShowAll }}>
      <p>Pick a wider range, or look at your whole history.</p>
    </EmptyState>
  );
}
