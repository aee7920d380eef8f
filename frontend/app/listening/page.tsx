import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import ListeningView from "./ListeningView";

export const metadata: Metadata = { title: "Listening" };

export default function ListeningPage() {
  return (
    <SignInGate heading={HEADINGS.listening} loadingLabel="Loading your listening…">
      <ListeningView />
    </SignInGate>
  );
}
