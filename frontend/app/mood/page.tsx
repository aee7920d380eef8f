import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import MoodView from "./MoodView";

export const metadata: Metadata = { title: "Mood" };

export default function MoodPage() {
  return (
    <SignInGate heading={HEADINGS.mood} loadingLabel="Loading your mood…">
      <MoodView />
    </SignInGate>
  );
}
