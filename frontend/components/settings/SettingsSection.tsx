import type { ReactNode } from "react";
import styles from "./SettingsSection.module.css";

interface SettingsSectionProps {
  /** The section's anchor (`/settings/#id`). */
  id: string;
  title: string;
  description: string;
  children?: ReactNode;
}

/**
 * One group of settings: a heading, a line about it, and its settings stacked below. A
 * section without settings is not shown at all.
 */
export default function SettingsSection({ id, title, description, children }: SettingsSectionProps) {
  if (!children) return null;
  return (
    <section id={id} className={styles.section} aria-labelledby={`${id}-heading`} data-testid={`settings-${id}`}>
      <header className={styles.head}>
        <h2 id={`${id}-heading`} className={styles.title}>
          {title}
        </h2>
        <p className={styles.description}>{description}</p>
      </header>
      <div className={styles.items}>{children}</div>
    </section>
  );
}
