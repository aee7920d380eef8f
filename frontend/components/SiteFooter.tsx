"use client";

import { getSummary } from "@/lib/api";
import { formatDateOfTimestamp, formatInt } from "@/lib/format";
import { useApi } from "@/lib/useApi";
import styles from "./SiteFooter.module.css";

/** The span of the whole listening history, on every page. */
export default function SiteFooter() {
  const { data } = useApi(() => getSummary(), []);
  let note = "\u00a0";
  if (data?.first_played_at && data.last_played_at) {
    note =
      `Listening history from ${formatDateOfTimestamp(data.first_played_at)} ` +
      `to ${formatDateOfTimestamp(data.last_played_at)} · ${formatInt(data.plays)} plays`;
  } else if (data) {
    note = "No listening history yet";
  }
  return (
    <footer className={styles.footer}>
      <div className={styles.inner}>
        <span data-testid="data-range">{note}</span>
        <span className={styles.brand}>Moodify · self-hosted listening analytics</span>
      </div>
    </footer>
  );
}
