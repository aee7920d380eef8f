"use client";

import styles from "./StatusState.module.css";

/** Shows the API's own message, with a way to try again. */
export default function ErrorState({ message }: { message: string }) {
  return (
    <div className={`${styles.state} ${styles.error}`} role="alert" data-testid="error-state">
      <p className={styles.title}>Couldn’t load this view</p>
      <p className={styles.message}>{message}</p>
      <button type="button" className={styles.action} onClick={() => window.location.reload()}>
        Try again
      </button>
    </div>
  );
}
