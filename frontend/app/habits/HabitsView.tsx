"use client";

import { useCallback } from "react";
import type { DateRange } from "@/lib/api";
import { getSessions } from "@/lib/habits";
import { useTimeZone } from "@/lib/session";
import { useApi } from "@/lib/useApi";
import { HEADINGS } from "@/lib/headings";
import DiscoveriesPanel from "@/components/habits/DiscoveriesPanel";
import SessionsPanel from "@/components/habits/SessionsPanel";
import StreaksPanel from "@/components/habits/StreaksPanel";
import RangedPage from "@/components/layout/RangedPage";
import HistoryGate from "@/components/states/HistoryGate";
import Loaded from "@/components/states/Loaded";
import NothingInRange from "@/components/states/NothingInRange";
import styles from "./HabitsView.module.css";

export default function HabitsView() {
  return (
    <RangedPage {...HEADINGS.habits}>
      {(range, onRangeChange) => (
        <HistoryGate loadingLabel="Loading your habits…">
          <Habits range={range} onShowAll={() => onRangeChange({})} />
        </HistoryGate>
      )}
    </RangedPage>
  );
}

function Habits({ range, onShowAll }: { range: DateRange; onShowAll: () => void }) {
  const timeZone = useTimeZone();
  const sessions = useApi(useCallback(() => getSessions(range), [range]));
  return (
    <Loaded state={sessions} loadingLabel="Loading your sessions…">
      {(answer) =>
        answer.sessions === 0 ? (
          <NothingInRange what="listening sessions" onShowAll={onShowAll} />
        ) : (
          <div className={styles.layout}>
            <SessionsPanel sessions={answer} timeZone={timeZone} />
            <StreaksPanel range={range} />
            {/* A new range starts the list of discoveries from its newest again. */}
            <DiscoveriesPanel key={`${range.from}/${range.to}`} range={range} timeZone={timeZone} />
          </div>
        )
      }
    </Loaded>
  );
}
