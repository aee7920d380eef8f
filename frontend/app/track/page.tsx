import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import TrackView from "./TrackView";

export const metadata: Metadata = { title: "Track" };

export default function TrackPage() {
  return (
    <SignInGate heading={HEADINGS.track} loadingLabel="Loading this track…">
      <TrackView />
    </SignInGate>
  );
}
