import type { ReactNode } from "react";
import type { ApiState } from "@/lib/useApi";
import ErrorState from "./ErrorState";
import LoadingState from "./LoadingState";
import styles from "./Loaded.module.css";

interface LoadedProps<T> {
  state: ApiState<T>;
  loadingLabel?: string;
  children: (data: T) => ReactNode;
}

/** A request's answer once it has one (dimmed while a newer one loads), its error, or a loading state. */
export default function Loaded<T>({ state, loadingLabel, children }: LoadedProps<T>) {
  if (state.error) return <ErrorState message={state.error} />;
  if (state.data === undefined) return <LoadingState label={loadingLabel} />;
  return (
    <div className={state.loading ? styles.refreshing : styles.ready} aria-busy={state.loading}>
      {children(state.data)}
    </div>
  );
}
