import type { ReactNode } from "react";
import styles from "./PageHeading.module.css";

interface PageHeadingProps {
  title: string;
  subtitle?: ReactNode;
  children?: ReactNode;
}

/** The page title, a one-line context and the page's controls. */
export default function PageHeading({ title, subtitle, children }: PageHeadingProps) {
  return (
    <div className={styles.heading}>
      <div className={styles.text}>
        <h1 className={styles.title}>{title}</h1>
        {subtitle && <p className={styles.subtitle}>{subtitle}</p>}
      </div>
      {children && <div className={styles.controls}>{children}</div>}
    </div>
  );
}
