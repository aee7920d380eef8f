import { useCallback } from "react";
import type { DateRange, IsoDate } from "@/lib/api";
import { parseIsoDate, toIsoDate } from "@/lib/dates";
import { formatDate, formatInt, formatWeekday } from "@/lib/format";
import { getStreaks, type Streak } from "@/lib/habits";
import { useApi } from "@/lib/useApi";
import Panel from "@/components/primitives/Panel";
import StatCard from "@/components/primitives/StatCard";
import Loaded from "@/components/states/Loaded";
import styles from "./Habits.module.css";

const DAY_MS = 86_400_000;

function days(count: number): string {
  return count === 1 ? "day" : "days";
}

function span(streak: Streak): string {
  return streak.days === 1 ? formatDate(streak.start) : `${formatDate(streak.start)} – ${formatDate(streak.end)}`;
}

/** A streak card's figure and dates; `none` says what no streak means. */
function streakFigures(streak: Streak | null | undefined, none: string) {
  return streak ? { value: formatInt(streak.days), unit: ` ${days(streak.days)}`, hint: span(streak) } : { value: "None", hint: none };
}

/** The `count` days up to `today`, oldest first. */
function daysUpTo(today: IsoDate, count: number): IsoDate[] {
  const last = parseIsoDate(today).getTime();
  return Array.from({ length: count }, (_, index) => toIsoDate(new Date(last - (count - 1 - index) * DAY_MS)));
}

/** Streaks of listening days: the current one (today's, whatever the range), the range's longest. */
export default function StreaksPanel({ range }: { range: DateRange }) {
  const streaks = useApi(useCallback(() => getStreaks(range), [range]));
  return (
    <Panel title="Streaks" subtitle="Days in a row with at least one play, in your time zone" testId="panel-streaks">
      <Loaded state={streaks} loadingLabel="Loading your streaks…">
        {({ current, longest, top, listening_days: listeningDays, recent_days: recentDays, today }) => {
          const strip = daysUpTo(today, 28);
          const listened = new Set(recentDays);
          return (
            <>
              <div className={styles.cards}>
                <StatCard
                  testId="card-current-streak"
                  label="Current streak"
                  {...streakFigures(current, "Listen today to start one")}
                  long
                  highlight
                />
                <StatCard
                  testId="card-longest-streak"
                  label="Longest streak"
                  {...streakFigures(longest, "No listening days in this range")}
                  long
                />
                <StatCard
                  testId="card-listening-days"
                  label="Listening days"
                  value={formatInt(listeningDays)}
                  hint="In this range"
                />
              </div>
              <div className={styles.columns}>
                <section aria-labelledby="last-days">
                  <h3 className={styles.heading} id="last-days">
                    The last 28 days
                  </h3>
                  <ol
                    className={styles.strip}
                    data-testid="streak-strip"
                    aria-label={`You listened on ${recentDays.length} of the last 28 days`}
                  >
                    {strip.map((day) => (
                      <li
                        key={day}
                        className={listened.has(day) ? `${styles.day} ${styles.listened}` : styles.day}
                        title={`${formatWeekday(day)}: ${listened.has(day) ? "listened" : "no plays"}`}
                        data-listened={listened.has(day)}
                      />
                    ))}
                  </ol>
                  <p className={styles.note}>
                    {formatDate(strip[0])} – {formatDate(today)} (today)
                  </p>
                </section>
                <section aria-labelledby="top-streaks">
                  <h3 className={styles.heading} id="top-streaks">
                    Longest streaks in this range
                  </h3>
                  {top.length === 0 ? (
                    <p className={styles.note}>No listening days in this range.</p>
                  ) : (
                    <ol className={`${styles.list} ${styles.wrap}`} data-testid="top-streaks">
                      {top.map((streak, index) => (
                        <li key={streak.start} className={styles.row} data-testid="top-streak">
                          <span className={styles.rank}>{index + 1}</span>
                          <span className={styles.main}>
                            <span className={styles.meta}>{span(streak)}</span>
                          </span>
                          <span className={styles.figure}>
                            {formatInt(streak.days)} {days(streak.days)}
                          </span>
                        </li>
                      ))}
                    </ol>
                  )}
                </section>
              </div>
            </>
          );
        }}
      </Loaded>
    </Panel>
  );
}
