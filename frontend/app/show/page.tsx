import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import ShowView from "./ShowView";

export const metadata: Metadata = { title: "Show" };

export default function ShowPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading this show…" />}>
      <ShowView />
    </Suspense>
  );
}
