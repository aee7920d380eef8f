import styles from "./StatusState.module.css";

export default function LoadingState({ label = "Loading…" }: { label?: string }) {
  return (
    <div className={styles.state} role="status" aria-live="polite" data-testid="loading">
      <span className={styles.bars} aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
      </span>
      <span className={styles.label}>{label}</span>
    </div>
  );
}
