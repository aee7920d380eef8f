import { formatDuration, formatInt, formatTime, formatWeekday } from "@/lib/format";
import { localDay } from "@/lib/dates";
import type { SessionLengths, Sessions } from "@/lib/habits";
import Panel from "@/components/primitives/Panel";
import StatCard from "@/components/primitives/StatCard";
import styles from "./Habits.module.css";

function bucketLabel({ min_minutes: min, max_minutes: max }: SessionLengths): string {
  const hours = (minutes: number) => minutes / 60;
  if (max === null) return `${min >= 60 ? `${hours(min)} h` : `${min} min`} +`;
  if (min === 0) return `< ${max} min`;
  return max > 60 ? `${hours(min)}–${hours(max)} h` : `${min}–${max} min`;
}

/** The range's sessions: headline figures, how long they last, and the longest ones. */
export default function SessionsPanel({ sessions, timeZone }: { sessions: Sessions; timeZone: string }) {
  const [longest] = sessions.longest;
  const most = Math.max(...sessions.lengths.map((bucket) => bucket.sessions));
  return (
    <Panel
      title="Sessions"
      subtitle="Plays less than 20 minutes apart make one session; it counts on the day it started"
      testId="panel-sessions"
    >
      <div className={styles.cards}>
        <StatCard testId="card-sessions" label="Sessions" value={formatInt(sessions.sessions)} highlight />
        <StatCard
          testId="card-average-session"
          label="Average length"
          value={formatDuration(sessions.average_duration_ms ?? 0)}
          long
          hint={`${formatDuration(sessions.duration_ms)} in all`}
        />
        <StatCard
          testId="card-plays-per-session"
          label="Plays per session"
          value={(sessions.average_plays ?? 0).toFixed(1)}
          hint={`${formatInt(sessions.plays)} plays`}
        />
        <StatCard
          testId="card-longest-session"
          label="Longest"
          value={formatDuration(longest.duration_ms)}
          long
          hint={formatWeekday(longest.day)}
        />
      </div>
      <div className={styles.columns}>
        <section aria-labelledby="session-lengths">
          <h3 className={styles.heading} id="session-lengths">
            How long they last
          </h3>
          <ul className={styles.bars} data-testid="session-lengths">
            {sessions.lengths.map((bucket) => (
              <li key={bucket.min_minutes} className={styles.bar} data-testid="session-length">
                <span className={styles.barLabel}>{bucketLabel(bucket)}</span>
                <span className={styles.track} aria-hidden="true">
                  <span className={styles.fill} style={{ width: `${most ? (100 * bucket.sessions) / most : 0}%` }} />
                </span>
                <span className={styles.barValue} data-testid="session-length-count">
                  {formatInt(bucket.sessions)}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="longest-sessions">
          <h3 className={styles.heading} id="longest-sessions">
            Longest sessions
          </h3>
          <ol className={`${styles.list} ${styles.wrap}`} data-testid="longest-sessions">
            {sessions.longest.map((session, index) => {
              const nextDay = localDay(session.ended_at, timeZone) !== session.day;
              return (
                <li key={session.started_at} className={styles.row} data-testid="longest-session">
                  <span className={styles.rank}>{index + 1}</span>
                  <span className={styles.main}>
                    <span className={styles.name} data-testid="session-day">
                      {formatWeekday(session.day)}
                    </span>
                    <span className={styles.meta} data-testid="session-times">
                      {formatTime(session.started_at, timeZone)} – {formatTime(session.ended_at, timeZone)}
                      {nextDay && " (next day)"} · {formatInt(session.plays)} {session.plays === 1 ? "play" : "plays"}
                    </span>
                  </span>
                  <span className={styles.figure} data-testid="session-duration">
                    {formatDuration(session.duration_ms)}
                  </span>
                </li>
              );
            })}
          </ol>
        </section>
      </div>
    </Panel>
  );
}
