"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { friendName, getSharing, putSharing, type Sharing } from "@/lib/compare";
import { formatDateTime } from "@/lib/format";
import { useTimeZone } from "@/lib/session";
import styles from "./SharingSetting.module.css";

/** The opt-in to compare with friends: off until chosen, and who else shares. */
export default function SharingSetting() {
  const timeZone = useTimeZone();
  const [sharing, setSharing] = useState<Sharing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    getSharing().then(setSharing, (failure: Error) => setError(failure.message));
  }, []);

  const choose = useCallback((shared: boolean) => {
    setSaving(true);
    setError(null);
    putSharing(shared)
      .then(setSharing, (failure: Error) => setError(failure.message))
      .finally(() => setSaving(false));
  }, []);

  const others = sharing?.sharing ?? [];
  return (
    <div className={styles.setting} data-testid="sharing-setting">
      <label className={styles.toggle}>
        <input
          type="checkbox"
          checked={sharing?.shared ?? false}
          disabled={sharing === null || saving || (!sharing.shared && sharing.slots_left === 0)}
          onChange={(event) => choose(event.target.checked)}
          data-testid="sharing-toggle"
        />
        <span>Share my listening with the others on this Moodify who share theirs</span>
      </label>
      <p className={styles.note}>
        Sharing is off until you turn it on. Those who share see your name, the artists and tracks you both play (with
        each one’s listening time), a similarity score and your mood; nothing else of yours, and nothing at all of
        anyone who does not share. Turning it off takes effect at once.
      </p>
      {sharing && (
        <p className={styles.status} data-testid="sharing-status">
          {others.length === 0
            ? "Nobody else shares yet."
            : `Sharing: ${others.map(friendName).join(", ")}.`}{" "}
          {sharing.slots_left === 0 && !sharing.shared
            ? `${sharing.max_sharing} people already share, the most that may.`
            : `Up to ${sharing.max_sharing} people may share.`}
          {sharing.shared && sharing.changed_at && ` You share since ${formatDateTime(sharing.changed_at, timeZone)}.`}
          {sharing.shared && others.length > 0 && (
            <>
              {" "}
              <Link href="/compare/">Compare your listening</Link>
            </>
          )}
        </p>
      )}
      {error && (
        <p className={styles.error} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
