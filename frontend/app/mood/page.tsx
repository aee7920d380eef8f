import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import MoodView from "./MoodView";

export const metadata: Metadata = { title: "Mood" };

export default function MoodPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading your mood…" />}>
      <MoodView />
    </Suspense>
  );
}
