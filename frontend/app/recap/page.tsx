import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import RecapView from "./RecapView";

export const metadata: Metadata = { title: "Recap" };

export default function RecapPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading your recap…" />}>
      <RecapView />
    </Suspense>
  );
}
