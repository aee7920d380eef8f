import { Suspense } from "react";
import LoadingState from "@/components/LoadingState";
import OverviewView from "@/components/OverviewView";

export default function OverviewPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading your listening…" />}>
      <OverviewView />
    </Suspense>
  );
}
