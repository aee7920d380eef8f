"use client";

import { useState } from "react";
import type { Gap, Me } from "@/lib/api";
import { formatDateOfTimestamp, formatDateTime, formatPeriodOfTimestamps, formatSoon } from "@/lib/format";
import { useMe } from "@/lib/session";
import { useNow } from "@/lib/useNow";
import Banner from "./Banner";
import styles from "./AccountBanners.module.css";

const SHOWN_GAPS = 3;

function GapPeriod({ gap, timeZone }: { gap: Gap; timeZone: string }) {
  const { from, to } = formatPeriodOfTimestamps(gap.from, gap.to, timeZone);
  return (
    <span className={styles.period}>
      <time dateTime={gap.from} title={formatDateTime(gap.from, timeZone)}>
        {from}
      </time>{" "}
      and{" "}
      <time dateTime={gap.to} title={formatDateTime(gap.to, timeZone)}>
        {to}
      </time>
    </span>
  );
}

function GapsBanner({ gaps, timeZone }: { gaps: Gap[]; timeZone: string }) {
  const [expanded, setExpanded] = useState(false);
  // Most recent first.
  const sorted = [...gaps].sort((a, b) => Date.parse(b.from) - Date.parse(a.from));
  const why = "(more than 50 plays happened between two fetches)";
  if (sorted.length === 1) {
    return (
      <Banner tone="info" testId="banner-gaps">
        <p>
          Moodify may have missed plays between <GapPeriod gap={sorted[0]} timeZone={timeZone} /> {why}. Import your Spotify export to
          fill it.
        </p>
      </Banner>
    );
  }
  const shown = expanded ? sorted : sorted.slice(0, SHOWN_GAPS);
  const more = sorted.length - shown.length;
  return (
    <Banner tone="info" testId="banner-gaps">
      <p>
        Moodify may have missed plays in {sorted.length} periods {why}. Import your Spotify export to fill them.
      </p>
      <ul className={styles.gaps}>
        {shown.map((gap) => (
          <li key={`${gap.from}/${gap.to}`} data-testid="gap">
            Between <GapPeriod gap={gap} timeZone={timeZone} />
          </li>
        ))}
      </ul>
      {more > 0 && (
        <button type="button" className={styles.more} onClick={() => setExpanded(true)} data-testid="gaps-more">
          +{more} more
        </button>
      )}
    </Banner>
  );
}

function Banners({ me, now }: { me: Me; now: number }) {
  const { sign_in: signIn, ingest, gaps, time_zone: timeZone } = me;
  const banners = [];
  // The demo's user is never signed in with Spotify, and needs no sign-in banner.
  if (!me.demo && signIn.state === "sign_in_again") {
    banners.push(
      <Banner
        key="sign-in-again"
        tone="urgent"
        testId="banner-sign-in-again"
        action={{ href: signIn.login_url, label: "Sign in again" }}
      >
        <p>
          <strong>Spotify sign-in expired</strong> — Moodify cannot fetch your new plays.
        </p>
      </Banner>,
    );
  } else if (!me.demo && signIn.expires_soon) {
    const on = signIn.expires_at ? (
      <>
        on{" "}
        <time dateTime={signIn.expires_at} title={formatDateTime(signIn.expires_at, timeZone)}>
          {formatDateOfTimestamp(signIn.expires_at, timeZone)}
        </time>
      </>
    ) : (
      "soon"
    );
    banners.push(
      <Banner
        key="expires-soon"
        tone="warning"
        testId="banner-expires-soon"
        action={{ href: signIn.login_url, label: "Sign in again" }}
      >
        <p>
          Your Spotify sign-in expires {on} (Spotify ends sign-ins after six months). Sign in again before then to keep
          every play.
        </p>
      </Banner>,
    );
  }
  if (ingest.cool_down_until && Date.parse(ingest.cool_down_until) > now) {
    const reason =
      ingest.cool_down_reason === "quota_exceeded"
        ? " (daily quota reached)"
        : ingest.cool_down_reason === "rate_limited"
          ? " (rate limit)"
          : "";
    banners.push(
      <Banner key="cool-down" tone="neutral" testId="banner-cool-down">
        <p data-reason={ingest.cool_down_reason ?? undefined}>
          Spotify asked Moodify to slow down{reason}; fetching resumes around{" "}
          <time dateTime={ingest.cool_down_until} title={formatDateTime(ingest.cool_down_until, timeZone)}>
            {formatSoon(ingest.cool_down_until, now, timeZone)}
          </time>
          . No plays are lost: Spotify keeps your last 50.
        </p>
      </Banner>,
    );
  }
  if (gaps.length > 0) banners.push(<GapsBanner key="gaps" gaps={gaps} timeZone={timeZone} />);
  if (banners.length === 0) return null;
  return (
    <div className={styles.banners} data-testid="banners">
      {banners}
    </div>
  );
}

/** What the user should know about their Spotify connection, under the header. */
export default function AccountBanners() {
  const me = useMe();
  const now = useNow();
  return me ? <Banners me={me} now={now} /> : null;
}
