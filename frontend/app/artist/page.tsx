import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import ArtistView from "./ArtistView";

export const metadata: Metadata = { title: "Artist" };

export default function ArtistPage() {
  return (
    <SignInGate heading={HEADINGS.artist} loadingLabel="Loading this artist…">
      <ArtistView />
    </SignInGate>
  );
}
