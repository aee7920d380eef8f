import type { Metadata } from "next";
import SignInGate from "@/components/account/SignInGate";
import ShowView from "./ShowView";

export const metadata: Metadata = { title: "Show" };

export default function ShowPage() {
  return (
    <SignInGate loadingLabel="Loading this show…">
      <ShowView />
    </SignInGate>
  );
}
