import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import GenresView from "./GenresView";

export const metadata: Metadata = { title: "Genres" };

export default function GenresPage() {
  return (
    <SignInGate heading={HEADINGS.genres} loadingLabel="Loading your genres…">
      <GenresView />
    </SignInGate>
  );
}
