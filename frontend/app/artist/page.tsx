import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import ArtistView from "./ArtistView";

export const metadata: Metadata = { title: "Artist" };

export default function ArtistPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading this artist…" />}>
      <ArtistView />
    </Suspense>
  );
}
