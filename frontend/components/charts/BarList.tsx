import type { ReactNode } from "react";
import styles from "./BarList.module.css";

export interface BarRow {
  key: string;
  rank?: number;
  /** What the row is: a name, often a link to its page. */
  label: ReactNode;
  /** A second line: artists, counts. */
  meta?: ReactNode;
  /** The row's headline figure, as shown. */
  value: string;
  /** The bar's length, 0..1. */
  ratio: number;
}

/** A list of named figures, each over a light bar: shares, times, rates. */
export default function BarList({ rows, testId }: { rows: BarRow[]; testId: string }) {
  return (
    <ol className={styles.list} data-testid={testId}>
      {rows.map((row) => (
        <li key={row.key} className={styles.row} data-testid={`${testId}-row`}>
          {row.rank !== undefined && <span className={styles.rank}>{row.rank}</span>}
          <div className={styles.main}>
            <div className={styles.line}>
              <span className={styles.label} data-testid="bar-label">
                {row.label}
              </span>
              <span className={styles.value} data-testid="bar-value">
                {row.value}
              </span>
            </div>
            <div className={styles.track} aria-hidden="true">
              <div className={styles.fill} style={{ width: `${Math.max(0, Math.min(1, row.ratio)) * 100}%` }} />
            </div>
            {row.meta && (
              <div className={styles.meta} data-testid="bar-meta">
                {row.meta}
              </div>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
