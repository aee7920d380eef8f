import styles from "./Logo.module.css";

/** The Moodify mark (a mood wave on the brand gradient) and word. */
export default function Logo({ size = "normal" }: { size?: "normal" | "large" }) {
  return (
    <span className={size === "large" ? `${styles.logo} ${styles.large}` : styles.logo}>
      <svg className={styles.mark} viewBox="0 0 32 32" aria-hidden="true">
        <defs>
          <linearGradient id="moodify-mark" x1="0" y1="0" x2="1" y2="1">
            <stop offset="0" stopColor="#7c3aed" />
            <stop offset="0.55" stopColor="#db2777" />
            <stop offset="1" stopColor="#f59e0b" />
          </linearGradient>
        </defs>
        <rect width="32" height="32" rx="9" fill="url(#moodify-mark)" />
        <path d="M8 19c2.5-5 5-5 8 0s5.5 5 8 0" fill="none" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
      </svg>
      <span className={styles.word}>Moodify</span>
    </span>
  );
}
