import type { ReactNode } from "react";
import styles from "./StatGrid.module.css";

/** A row of four headline figures (`StatCard`s), two by two on a narrow screen. */
export default function StatGrid({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <div className={styles.grid} data-testid={testId}>
      {children}
    </div>
  );
}
