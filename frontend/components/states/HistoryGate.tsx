"use client";

import type { ReactNode } from "react";
import { getSummary } from "@/lib/api";
import { useApi } from "@/lib/useApi";
import Loaded from "./Loaded";
import NoPlaysYet from "./NoPlaysYet";

const getAllTimeSummary = () => getSummary();

/** Its children once the history has a play; on a fresh install, the way to import one. */
export default function HistoryGate({ loadingLabel, children }: { loadingLabel?: string; children: ReactNode }) {
  const summary = useApi(getAllTimeSummary);
  return (
    <Loaded state={summary} loadingLabel={loadingLabel}>
      {({ plays }) => (plays === 0 ? <NoPlaysYet /> : children)}
    </Loaded>
  );
}
