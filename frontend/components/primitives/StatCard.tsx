import styles from "./StatCard.module.css";

interface StatCardProps {
  label: string;
  value: string;
  unit?: string;
  hint?: string;
  highlight?: boolean;
  /** A long value (a date) that shrinks to fit narrow cards. */
  long?: boolean;
  testId: string;
}

export default function StatCard({ label, value, unit, hint, highlight, long, testId }: StatCardProps) {
  return (
    <div className={highlight ? `${styles.card} ${styles.highlight}` : styles.card} data-testid={testId}>
      <span className={styles.label}>{label}</span>
      <span className={long ? `${styles.value} ${styles.long}` : styles.value}>
        {value}
        {unit && <span className={styles.unit}>{unit}</span>}
      </span>
      {hint && <span className={styles.hint}>{hint}</span>}
    </div>
  );
}
