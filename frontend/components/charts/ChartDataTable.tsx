"use client";

import { useState } from "react";
import styles from "./ChartDataTable.module.css";

export interface ChartTableRow {
  key: string;
  /** The row's heading, e.g. its period. */
  heading: string;
  /** One figure a column after the headings' column. */
  cells: string[];
}

interface ChartDataTableProps {
  /** What the table holds, for screen readers (its scroller is a labelled region). */
  label: string;
  /** The columns' headings, the row headings' column first. */
  columns: string[];
  /** Called only once the table is opened: a chart over years has thousands of figures. */
  rows: () => ChartTableRow[];
  testId?: string;
}

/** Every figure of a chart, as a table behind a disclosure, built only when asked for. */
export default function ChartDataTable({ label, columns, rows, testId }: ChartDataTableProps) {
  const [shown, setShown] = useState(false);
  return (
    <details className={styles.details} onToggle={(event) => setShown(event.currentTarget.open)}>
      <summary>The figures as a table</summary>
      {shown && (
        <div className={styles.scroller} tabIndex={0} role="region" aria-label={label}>
          <table className={styles.table} data-testid={testId}>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th scope="col" key={column}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows().map((row) => (
                <tr key={row.key}>
                  <th scope="row">{row.heading}</th>
                  {row.cells.map((cell, index) => (
                    <td key={columns[index + 1]}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
