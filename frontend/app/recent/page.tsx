import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import RecentView from "./RecentView";

export const metadata: Metadata = { title: "Recently played" };

export default function RecentPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading your recent plays…" />}>
      <RecentView />
    </Suspense>
  );
}
