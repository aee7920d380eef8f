"use client";

import { useState } from "react";
import { LOGOUT_URL, type Me } from "@/lib/api";
import { formatDateTime, formatRelative } from "@/lib/format";
import { useMe } from "@/lib/session";
import { useNow } from "@/lib/useNow";
import styles from "./AccountStatus.module.css";

// The alarm's threshold too: ingests run hourly, so three missed in a row.
const STALE_AFTER_MS = 3 * 3600_000;

/** Now on the API's clock: the browser's clock, corrected by how far it was from the server's
 * when `/me` answered (remounted with each answer). */
function useServerNow(checkedAt: string): number {
  const now = useNow();
  const [skew] = useState(() => Date.parse(checkedAt) - Date.now());
  return now + skew;
}

function Freshness({ me }: { me: Me }) {
  const { last_ingest_at: ingest, last_etl_at: etl, checked_at, ingest_stale } = me.freshness;
  const now = useServerNow(checked_at);
  const tz = me.time_zone;
  const signedIn = me.sign_in.state !== "not_connected";
  const stale = ingest_stale || (signedIn && ingest !== null && now - Date.parse(ingest) > STALE_AFTER_MS);
  if (!ingest && !etl && !stale) return null;
  const title = [
    ingest ? `Last ingest from Spotify: ${formatDateTime(ingest, tz)}` : signedIn ? "No ingest from Spotify yet" : null,
    etl ? `Last ETL refresh: ${formatDateTime(etl, tz)}` : null,
    stale ? "No successful ingest for over 3 hours" : null,
  ]
    .filter(Boolean)
    .join("\n");
  return (
    <span
      className={stale ? `${styles.updated} ${styles.stale}` : styles.updated}
      data-testid="last-updated"
      data-stale={stale}
      title={title}
    >
      <span className={styles.pulse} aria-hidden="true" />
      <span>
        {ingest ? (
          <>
            Updated <time dateTime={ingest}>{formatRelative(ingest, now, tz)}</time>
          </>
        ) : (
          signedIn && "Not updated yet"
        )}
        {(ingest || signedIn) && etl && " · "}
        {etl && (
          <>
            ETL <time dateTime={etl}>{formatRelative(etl, now, tz)}</time>
          </>
        )}
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

/** The right of the header: when the last ingest and ETL succeeded, and who is signed in (or the demo). */
export default function AccountStatus() {
  const me = useMe();
  if (!me) return null;
  return (
    <div className={styles.account}>
      <Freshness key={me.freshness.checked_at} me={me} />
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
