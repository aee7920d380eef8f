"use client";

import { useEffect, useState, type DependencyList } from "react";

export interface ApiState<T> {
  /** The latest answer; kept while a newer request is on its way. */
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
}

/** Runs `load` on mount and whenever `deps` change; the last request started wins. */
export function useApi<T>(load: () => Promise<T>, deps: DependencyList): ApiState<T> {
  const [state, setState] = useState<ApiState<T>>({ data: undefined, error: undefined, loading: true });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error: unknown) =>
        current &&
        setState({
          data: undefined,
          error: error instanceof Error ? error.message : String(error),
          loading: false,
        }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return state;
}
