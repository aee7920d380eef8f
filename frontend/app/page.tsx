import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import OverviewView from "./OverviewView";

export default function OverviewPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading your listening…" />}>
      <OverviewView />
    </Suspense>
  );
}
