import type { ReactNode } from "react";
import styles from "./Banner.module.css";

export type BannerTone = "urgent" | "warning" | "neutral" | "info";

interface BannerProps {
  tone: BannerTone;
  testId: string;
  title?: ReactNode;
  children: ReactNode;
  /** A link to act on the banner, shown as a button on its right. */
  action?: { href: string; label: string };
}

function Icon({ tone }: { tone: BannerTone }) {
  const common = { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 2, strokeLinecap: "round", strokeLinejoin: "round" } as const;
  switch (tone) {
    case "urgent":
      return (
        <svg {...common} aria-hidden="true">
          <path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
          <path d="M12 9v4M12 17h.01" />
        </svg>
      );
    case "warning":
      return (
        <svg {...common} aria-hidden="true">
          <circle cx="12" cy="12" r="9" />
          <path d="M12 7v5l3 2" />
        </svg>
      );
    case "neutral":
      return (
        <svg {...common} aria-hidden="true">
          <circle cx="12" cy="12" r="9" />
          <path d="M10 9v6M14 9v6" />
        </svg>
      );
    default:
      return (
        <svg {...common} aria-hidden="true">
          <circle cx="12" cy="12" r="9" />
          <path d="M12 11v5M12 8h.01" />
        </svg>
      );
  }
}

/** One line of account news under the header: an icon, a message and, maybe, a link to act. */
export default function Banner({ tone, testId, title, children, action }: BannerProps) {
  return (
    <div
      className={`${styles.banner} ${styles[tone]}`}
      role={tone === "urgent" ? "alert" : "status"}
      data-testid={testId}
      data-tone={tone}
    >
      <span className={styles.icon}>
        <Icon tone={tone} />
      </span>
      <div className={styles.body}>
        {title && <strong className={styles.title}>{title}</strong>}
        {children}
      </div>
      {action && (
        <a className={styles.action} href={action.href}>
          {action.label}
        </a>
      )}
    </div>
  );
}
