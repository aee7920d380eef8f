import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import ListeningView from "./ListeningView";

export const metadata: Metadata = { title: "Listening" };

export default function ListeningPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading your listening…" />}>
      <ListeningView />
    </Suspense>
  );
}
