"use client";

import { HEADINGS } from "@/lib/headings";
import RangedPage from "@/components/layout/RangedPage";
import RecentPlays from "@/components/listening/RecentPlays";

export default function RecentView() {
  return (
    <RangedPage {...HEADINGS.recent}>
      {(range, onRangeChange) => (
        <RecentPlays key={`${range.from} ${range.to}`} range={range} onShowAll={() => onRangeChange({})} />
      )}
    </RangedPage>
  );
}
