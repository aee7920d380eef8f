import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import PodcastsView from "./PodcastsView";

export const metadata: Metadata = { title: "Podcasts" };

export default function PodcastsPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading your podcasts…" />}>
      <PodcastsView />
    </Suspense>
  );
}
