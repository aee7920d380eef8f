import type { DateRange } from "@/lib/api";
import type { Entity } from "@/lib/entities";
import { formatDateOfTimestamp, formatDuration, formatHours, formatInt, formatTime } from "@/lib/format";
import { useTimeZone } from "@/lib/session";
import StatCard from "@/components/primitives/StatCard";
import StatGrid from "@/components/primitives/StatGrid";

const HOUR_MS = 3_600_000;

/** Plays and listening time in the range; the first and last play ever, in the user's zone. */
export default function EntityStats({ entity, range }: { entity: Entity; range: DateRange }) {
  const timeZone = useTimeZone();
  const scope = range.from || range.to ? "In this range" : "All time";
  const hours = entity.listening_ms >= 10 * HOUR_MS;
  return (
    <StatGrid testId="entity-stats">
      <StatCard testId="entity-plays" label="Plays" value={formatInt(entity.plays)} hint={scope} highlight />
      <StatCard
        testId="entity-listening"
        label="Listening time"
        value={hours ? formatHours(entity.listening_ms) : formatDuration(entity.listening_ms)}
        unit={hours ? "h" : undefined}
        hint={scope}
      />
      <StatCard
        testId="entity-first"
        label="First play"
        value={formatDateOfTimestamp(entity.first_played_at, timeZone)}
        hint={formatTime(entity.first_played_at, timeZone)}
        long
      />
      <StatCard
        testId="entity-last"
        label="Last play"
        value={formatDateOfTimestamp(entity.last_played_at, timeZone)}
        hint={formatTime(entity.last_played_at, timeZone)}
        long
      />
    </StatGrid>
  );
}
