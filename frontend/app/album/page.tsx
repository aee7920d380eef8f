import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import AlbumView from "./AlbumView";

export const metadata: Metadata = { title: "Album" };

export default function AlbumPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading this album…" />}>
      <AlbumView />
    </Suspense>
  );
}
