import type { DateRange } from "@/lib/api";
import NoPlaysYet from "./NoPlaysYet";
import NothingInRange from "./NothingInRange";

/** No plays to show: none in a range with bounds (a wider one may have some), or none yet at all. */
export default function NoPlays({ range, onShowAll }: { range: DateRange; onShowAll: () => void }) {
  return range.from || range.to ? <NothingInRange what="plays" onShowAll={onShowAll} /> : <NoPlaysYet />;
}
