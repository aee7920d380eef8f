import type { Metadata } from "next";
import { Suspense } from "react";
import LoadingState from "@/components/states/LoadingState";
import SearchView from "./SearchView";

export const metadata: Metadata = { title: "Search" };

export default function SearchPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading search…" />}>
      <SearchView />
    </Suspense>
  );
}
