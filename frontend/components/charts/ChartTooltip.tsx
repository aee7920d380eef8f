import styles from "./ChartTooltip.module.css";

export interface TooltipRow {
  label: string;
  value: string;
  color?: string;
}

/** The box shown by chart tooltips: a heading and labelled values. */
export default function ChartTooltip({ title, rows }: { title: string; rows: TooltipRow[] }) {
  return (
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
  );
}
