import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import PodcastsView from "./PodcastsView";

export const metadata: Metadata = { title: "Podcasts" };

export default function PodcastsPage() {
  return (
    <SignInGate heading={HEADINGS.podcasts} loadingLabel="Loading your podcasts…">
      <PodcastsView />
    </SignInGate>
  );
}
