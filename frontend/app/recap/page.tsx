import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import RecapView from "./RecapView";

export const metadata: Metadata = { title: "Recap" };

export default function RecapPage() {
  return (
    <SignInGate heading={HEADINGS.recap} loadingLabel="Loading your recap…">
      <RecapView />
    </SignInGate>
  );
}
