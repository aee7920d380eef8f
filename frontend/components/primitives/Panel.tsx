import type { ReactNode } from "react";
import styles from "./Panel.module.css";

interface PanelProps {
  title: string;
  subtitle?: string;
  actions?: ReactNode;
  className?: string;
  testId?: string;
  children: ReactNode;
}

/** A titled card that holds one list or chart. */
export default function Panel({ title, subtitle, actions, className, testId, children }: PanelProps) {
  return (
    <section className={className ? `${styles.panel} ${className}` : styles.panel} data-testid={testId}>
      <header className={styles.head}>
        <div>
          <h2 className={styles.title}>{title}</h2>
          {subtitle && (
            <p className={styles.subtitle} data-testid="panel-subtitle">
              {subtitle}
            </p>
          )}
        </div>
        {actions && <div className={styles.actions}>{actions}</div>}
      </header>
      {children}
    </section>
  );
}
