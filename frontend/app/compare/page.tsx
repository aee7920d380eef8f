import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import CompareView from "./CompareView";

export const metadata: Metadata = { title: "Compare" };

export default function ComparePage() {
  return (
    <SignInGate heading={HEADINGS.compare} loadingLabel="Loading your friends…">
      <CompareView />
    </SignInGate>
  );
}
