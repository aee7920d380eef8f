import type { Summary } from "@/lib/api";
import { daysBetween, localDay } from "@/lib/dates";
import { formatDateOfTimestamp, formatDuration, formatHours, formatInt, formatTime } from "@/lib/format";
import { useTimeZone } from "@/lib/session";
import StatCard from "@/components/primitives/StatCard";
import styles from "./SummaryCards.module.css";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The user's calendar days from the first to the last play, both counted. */
function activeSpanDays(summary: Summary, timeZone: string): number | null {
  if (!summary.first_played_at || !summary.last_played_at) return null;
  return daysBetween(localDay(summary.first_played_at, timeZone), localDay(summary.last_played_at, timeZone)) + 1;
}

export default function SummaryCards({ summary }: { summary: Summary }) {
  const timeZone = useTimeZone();
  const span = activeSpanDays(summary, timeZone);
  const days = summary.listening_ms / DAY_MS;
  return (
    <div className={styles.grid} data-testid="summary">
      <StatCard
        testId="summary-listening"
        label="Listening time"
        value={formatHours(summary.listening_ms)}
        unit="h"
        hint={days >= 2 ? `≈ ${formatInt(days)} days of music` : formatDuration(summary.listening_ms)}
        highlight
      />
      <StatCard
        testId="summary-plays"
        label="Plays"
        value={formatInt(summary.plays)}
        hint={span ? `${formatInt(summary.plays / span)} a day on average` : undefined}
      />
      <StatCard
        testId="summary-tracks"
        label="Tracks"
        value={formatInt(summary.distinct_tracks)}
        hint={summary.distinct_tracks ? `${(summary.plays / summary.distinct_tracks).toFixed(1)} plays each` : undefined}
      />
      <StatCard
        testId="summary-artists"
        label="Artists"
        value={formatInt(summary.distinct_artists)}
        hint={summary.distinct_artists ? `${formatInt(summary.plays / summary.distinct_artists)} plays each` : undefined}
      />
      <StatCard
        testId="summary-first"
        label="First play"
        value={summary.first_played_at ? formatDateOfTimestamp(summary.first_played_at, timeZone) : "–"}
        hint={summary.first_played_at ? formatTime(summary.first_played_at, timeZone) : undefined}
        long
      />
      <StatCard
        testId="summary-last"
        label="Last play"
        value={summary.last_played_at ? formatDateOfTimestamp(summary.last_played_at, timeZone) : "–"}
        hint={summary.last_played_at ? formatTime(summary.last_played_at, timeZone) : undefined}
        long
      />
    </div>
  );
}
