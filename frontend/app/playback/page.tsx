import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import PlaybackView from "./PlaybackView";

export const metadata: Metadata = { title: "Playback" };

export default function PlaybackPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading how you play…" />}>
      <PlaybackView />
    </Suspense>
  );
}
