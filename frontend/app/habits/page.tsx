import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import HabitsView from "./HabitsView";

export const metadata: Metadata = { title: "Habits" };

export default function HabitsPage() {
  return (
    <SignInGate heading={HEADINGS.habits} loadingLabel="Loading your habits…">
      <HabitsView />
    </SignInGate>
  );
}
