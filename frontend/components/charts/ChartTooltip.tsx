import styles from "./ChartTooltip.module.css";

export interface TooltipRow {
  label: string;
  value: string;
  color?: string;
}

interface ChartTooltipProps {
  /** Where the pointed-at period is drawn, in the drawing's pixels. */
  x: number;
  /** The drawing's width: past its middle the box sits on the left of `x`, to stay inside. */
  width: number;
  testId: string;
  title: string;
  rows: TooltipRow[];
}

/**
 * The box beside the period under the pointer: a heading and labelled values. Screen readers
 * skip it; the chart's table holds the same figures.
 */
export default function ChartTooltip({ x, width, testId, title, rows }: ChartTooltipProps) {
  return (
    <div
      className={styles.anchor}
      style={{ left: x, transform: x > width / 2 ? "translateX(calc(-100% - 12px))" : "translateX(12px)" }}
      aria-hidden="true"
      data-testid={testId}
    >
      <div className={styles.tooltip}>
        <div className={styles.title}>{title}</div>
        {rows.map((row) => (
          <div key={row.label} className={styles.row}>
            <span className={styles.label}>
              {row.color && <span className={styles.swatch} style={{ background: row.color }} />}
              {row.label}
            </span>
            <span className={styles.value}>{row.value}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
