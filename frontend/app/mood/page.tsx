import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/LoadingState";
import MoodView from "@/components/MoodView";

export const metadata: Metadata = { title: "Mood" };

export default function MoodPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading your mood…" />}>
      <MoodView />
    </Suspense>
  );
}
