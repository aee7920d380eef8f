"use client";

import { usePathname, useRouter, useSearchParams, type ReadonlyURLSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { DateRange } from "./api";

/** Reads the page's query string and replaces some of its keys (undefined removes one). */
export function useQuery(): [ReadonlyURLSearchParams, (changes: Record<string, string | undefined>) => void] {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const update = useCallback(
    (changes: Record<string, string | undefined>) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) next.delete(key);
        else next.set(key, value);
      }
      const qs = next.toString();
      router.push(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [params, router, pathname],
  );
  return [params, update];
}

/** The range of local days the page's address gives (`from`, `to`), and the way to change it. */
export function useQueryRange(): [DateRange, (range: DateRange) => void] {
  const [query, setQuery] = useQuery();
  const from = query.get("from") ?? undefined;
  const to = query.get("to") ?? undefined;
  const range = useMemo<DateRange>(() => ({ from, to }), [from, to]);
  const setRange = useCallback((next: DateRange) => setQuery({ from: next.from, to: next.to }), [setQuery]);
  return [range, setRange];
}
