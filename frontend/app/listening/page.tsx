import type { Metadata } from "next";
import { Suspense } from "react";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import ListeningView, { ListeningRequests } from "./ListeningView";

export const metadata: Metadata = { title: "Listening" };

export default function ListeningPage() {
  return (
    <>
      {/* It reads the address, which a static export leaves to the browser. */}
      <Suspense fallback={null}>
        <ListeningRequests />
      </Suspense>
      <SignInGate heading={HEADINGS.listening} loadingLabel="Loading your listening…">
        <ListeningView />
      </SignInGate>
    </>
  );
}
