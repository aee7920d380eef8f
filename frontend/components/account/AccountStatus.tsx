"use client";

import { LOGOUT_URL, type Me } from "@/lib/api";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useMe } from "@/lib/session";
import { useNow } from "@/lib/useNow";
import styles from "./AccountStatus.module.css";

function LastUpdated({ at, timeZone }: { at: string; timeZone: string }) {
  const now = useNow();
  return (
    <span className={styles.updated} data-testid="last-updated">
      <span className={styles.pulse} aria-hidden="true" />
      <span>
        Last updated{" "}
        <time dateTime={at} title={formatDateTime(at, timeZone)}>
          {formatRelative(at, now, timeZone)}
        </time>
      </span>
    </span>
  );
}

function User({ me }: { me: Me }) {
  const name = me.display_name?.trim() || me.user_id;
  return (
    <div className={styles.user}>
      <span className={styles.avatar} aria-hidden="true">
        {name.slice(0, 1).toUpperCase()}
      </span>
      <span className={styles.name} data-testid="user-name" title={`Signed in with Spotify as ${me.user_id}`}>
        {name}
      </span>
      {/* A POST form: signing out changes state; the server clears the session and redirects to /. */}
      <form method="post" action={LOGOUT_URL} className={styles.signOutForm}>
        <button type="submit" className={styles.signOut} data-testid="sign-out">
          Sign out
        </button>
      </form>
    </div>
  );
}

/** The right of the header: when the data was last fetched, and who is signed in (or the demo). */
export default function AccountStatus() {
  const me = useMe();
  if (!me) return null;
  return (
    <div className={styles.account}>
      {me.ingest.last_run_at && <LastUpdated at={me.ingest.last_run_at} timeZone={me.time_zone} />}
      {me.demo ? (
        <span
          className={styles.demo}
          data-testid="demo-pill"
          title="The local demo: a generated listening history, no Spotify sign-in"
        >
          Demo data
        </span>
      ) : (
        <User me={me} />
      )}
    </div>
  );
}
