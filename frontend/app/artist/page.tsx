import type { Metadata } from "next";
import { Suspense } from "react";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import { EntityRequest } from "@/components/entities/EntityView";
import ArtistView from "./ArtistView";

export const metadata: Metadata = { title: "Artist" };

export default function ArtistPage() {
  return (
    <>
      {/* It reads the address, which a static export leaves to the browser. */}
      <Suspense fallback={null}>
        <EntityRequest kind="artist" />
      </Suspense>
      <SignInGate heading={HEADINGS.artist} loadingLabel="Loading this artist…">
        <ArtistView />
      </SignInGate>
    </>
  );
}
