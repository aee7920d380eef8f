import type { Metadata } from "next";
import { Suspense } from "react";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import { EntityRequest } from "@/components/entities/EntityView";
import ShowView from "./ShowView";

export const metadata: Metadata = { title: "Show" };

export default function ShowPage() {
  return (
    <>
      {/* It reads the address, which a static export leaves to the browser. */}
      <Suspense fallback={null}>
        <EntityRequest kind="show" />
      </Suspense>
      <SignInGate heading={HEADINGS.show} loadingLabel="Loading this show…">
        <ShowView />
      </SignInGate>
    </>
  );
}
