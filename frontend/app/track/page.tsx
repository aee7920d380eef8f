import type { Metadata } from "next";
import { Suspense } from "react";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import { EntityRequest } from "@/components/entities/EntityView";
import TrackView from "./TrackView";

export const metadata: Metadata = { title: "Track" };

export default function TrackPage() {
  return (
    <>
      {/* It reads the address, which a static export leaves to the browser. */}
      <Suspense fallback={null}>
        <EntityRequest kind="track" />
      </Suspense>
      <SignInGate heading={HEADINGS.track} loadingLabel="Loading this track…">
        <TrackView />
      </SignInGate>
    </>
  );
}
