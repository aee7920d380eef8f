import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import HabitsView from "./HabitsView";

export const metadata: Metadata = { title: "Habits" };

export default function HabitsPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading your habits…" />}>
      <HabitsView />
    </Suspense>
  );
}
