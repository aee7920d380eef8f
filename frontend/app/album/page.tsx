import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import AlbumView from "./AlbumView";

export const metadata: Metadata = { title: "Album" };

export default function AlbumPage() {
  return (
    <SignInGate heading={HEADINGS.album} loadingLabel="Loading this album…">
      <AlbumView />
    </SignInGate>
  );
}
