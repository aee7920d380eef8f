"use client";

import { getSummary } from "@/lib/api";
import { formatDateOfTimestamp, formatInt } from "@/lib/format";
import { timeZoneOf, useSession } from "@/lib/session";
import { useApi } from "@/lib/useApi";
import styles from "./SiteFooter.module.css";

/** The span of the whole listening history, and the time zone every time is shown in. */
export default function SiteFooter() {
  const session = useSession();
  const timeZone = timeZoneOf(session);
  const { data } = useApi(getSummary);
  let note = "\u00a0";
  if (timeZone && data?.first_played_at && data.last_played_at) {
    note =
      `Listening history from ${formatDateOfTimestamp(data.first_played_at, timeZone)} ` +
      `to ${formatDateOfTimestamp(data.last_played_at, timeZone)} · ${formatInt(data.plays)} plays`;
  } else if (data && !data.first_played_at) {
    note = "No listening history yet";
  }
  return (
    <footer className={styles.footer}>
      <div className={styles.inner}>
        <span data-testid="data-range">{note}</span>
        {timeZone && (
          <span data-testid="time-zone" title="Your listening days start at midnight in this time zone">
            {session.status === "ready"
              ? `Times and days in ${timeZone}`
              : `Times in your browser’s time zone, ${timeZone}`}
          </span>
        )}
        <span className={styles.brand}>Moodify · self-hosted listening analytics</span>
      </div>
    </footer>
  );
}
