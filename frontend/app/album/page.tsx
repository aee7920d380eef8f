import type { Metadata } from "next";
import SignInGate from "@/components/account/SignInGate";
import AlbumView from "./AlbumView";

export const metadata: Metadata = { title: "Album" };

export default function AlbumPage() {
  return (
    <SignInGate loadingLabel="Loading this album…">
      <AlbumView />
    </SignInGate>
  );
}
