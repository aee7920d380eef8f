import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import ShowView from "./ShowView";

export const metadata: Metadata = { title: "Show" };

export default function ShowPage() {
  return (
    <SignInGate heading={HEADINGS.show} loadingLabel="Loading this show…">
      <ShowView />
    </SignInGate>
  );
}
