import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import RecentView from "./RecentView";

export const metadata: Metadata = { title: "Recently played" };

export default function RecentPage() {
  return (
    <SignInGate heading={HEADINGS.recent} loadingLabel="Loading your recent plays…">
      <RecentView />
    </SignInGate>
  );
}
