import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import SearchView from "./SearchView";

export const metadata: Metadata = { title: "Search" };

export default function SearchPage() {
  return (
    <SignInGate heading={HEADINGS.search} loadingLabel="Loading search…">
      <SearchView />
    </SignInGate>
  );
}
