import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import PlaybackView from "./PlaybackView";

export const metadata: Metadata = { title: "Playback" };

export default function PlaybackPage() {
  return (
    <SignInGate heading={HEADINGS.playback} loadingLabel="Loading how you play…">
      <PlaybackView />
    </SignInGate>
  );
}
