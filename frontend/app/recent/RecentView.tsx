"use client";

import RangedPage from "@/components/layout/RangedPage";
import RecentPlays from "@/components/listening/RecentPlays";

export default function RecentView() {
  return (
    <RangedPage title="Recently played" subtitle="Every play, newest first, at the time it started.">
      {(range, onRangeChange) => (
        <RecentPlays key={`${range.from} ${range.to}`} range={range} onShowAll={() => onRangeChange({})} />
      )}
    </RangedPage>
  );
}
