import type { Metadata } from "next";
import SignInGate from "@/components/account/SignInGate";
import ArtistView from "./ArtistView";

export const metadata: Metadata = { title: "Artist" };

export default function ArtistPage() {
  return (
    <SignInGate loadingLabel="Loading this artist…">
      <ArtistView />
    </SignInGate>
  );
}
