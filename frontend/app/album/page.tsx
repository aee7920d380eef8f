import type { Metadata } from "next";
import { Suspense } from "react";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import { EntityRequest } from "@/components/entities/EntityView";
import AlbumView from "./AlbumView";

export const metadata: Metadata = { title: "Album" };

export default function AlbumPage() {
  return (
    <>
      {/* It reads the address, which a static export leaves to the browser. */}
      <Suspense fallback={null}>
        <EntityRequest kind="album" />
      </Suspense>
      <SignInGate heading={HEADINGS.album} loadingLabel="Loading this album…">
        <AlbumView />
      </SignInGate>
    </>
  );
}
