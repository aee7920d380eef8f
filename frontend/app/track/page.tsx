import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import TrackView from "./TrackView";

export const metadata: Metadata = { title: "Track" };

export default function TrackPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading this track…" />}>
      <TrackView />
    </Suspense>
  );
}
