import type { Metadata } from "next";
import SignInGate from "@/components/account/SignInGate";
import TrackView from "./TrackView";

export const metadata: Metadata = { title: "Track" };

export default function TrackPage() {
  return (
    <SignInGate loadingLabel="Loading this track…">
      <TrackView />
    </SignInGate>
  );
}
