import type { ReactNode } from "react";
import styles from "./StatusState.module.css";

interface EmptyStateProps {
  title: ReactNode;
  children?: ReactNode;
  action?: { label: string; onClick: () => void };
}

export default function EmptyState({ title, children, action }: EmptyStateProps) {
  return (
    <div className={`${styles.state} ${styles.empty}`} data-testid="empty-state">
      <svg className={styles.icon} viewBox="0 0 48 48" aria-hidden="true">
        <circle cx="24" cy="24" r="22" fill="none" stroke="currentColor" strokeWidth="2" opacity="0.35" />
        <path d="M14 27c3-6 6-6 10 0s7 6 10 0" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
      </svg>
      <p className={styles.title}>{title}</p>
      {children && <div className={styles.detail}>{children}</div>}
      {action && (
        <button type="button" className={styles.action} onClick={action.onClick}>
          {action.label}
        </button>
      )}
    </div>
  );
}
