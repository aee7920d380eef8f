"use client";

import { startTransition, useEffect, useState } from "react";

export interface ApiState<T> {
  /** The latest answer; kept while a newer request is on its way. */
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
}

interface Settled<T> {
  /** The request this is the outcome of. */
  load: () => Promise<T>;
  data: T | undefined;
  error: string | undefined;
}

/**
 * Runs `load` on mount and whenever it changes (memoise it with `useCallback`, so that it
 * changes with what it asks for); the last request started wins.
 */
export function useApi<T>(load: () => Promise<T>): ApiState<T> {
  const [settled, setSettled] = useState<Settled<T> | undefined>(undefined);
  useEffect(() => {
    let current = true;
    // As a transition, React renders a large answer in slices that leave the browser free
    // to respond in between, instead of in one long task.
    const settle = (next: Settled<T>) => current && startTransition(() => setSettled(next));
    load().then(
      (data) => settle({ load, data, error: undefined }),
      (error: unknown) => settle({ load, data: undefined, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [load]);
  return { data: settled?.data, error: settled?.error, loading: settled?.load !== load };
}
