import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import ImportView from "./ImportView";

export const metadata: Metadata = { title: "Import" };

export default function ImportPage() {
  return (
    <SignInGate heading={HEADINGS.import}>
      <ImportView />
    </SignInGate>
  );
}
