import type { CSSProperties } from "react";
import type { TopMeasure } from "@/lib/api";
import { formatDuration, formatInt } from "@/lib/format";
import { hourName, weekdayName, type ClockCell, type ListeningClock as Clock } from "@/lib/listening";
import styles from "./ListeningClock.module.css";

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

function measure(cell: ClockCell, by: TopMeasure): number {
  return by === "plays" ? cell.plays : cell.listening_ms;
}

/** "Friday, 1 PM: 12 plays, 1 h 3 min". */
function describe(cell: ClockCell): string {
  const plays = `${formatInt(cell.plays)} ${cell.plays === 1 ? "play" : "plays"}`;
  return `${weekdayName(cell.weekday)}, ${hourName(cell.hour)}: ${plays}, ${formatDuration(cell.listening_ms)}`;
}

/**
 * The weekday × hour heatmap as a table: every cell is labelled for screen readers and in its
 * tooltip, and shaded by its share of the busiest cell's `by`.
 */
export default function ListeningClock({ clock }: { clock: Clock }) {
  const { by, cells, peak } = clock;
  const most = peak ? measure(peak, by) : 0;
  const level = (cell: ClockCell) => {
    const value = measure(cell, by);
    // The faintest listening stays visible beside an empty hour.
    return value === 0 ? 0 : 0.12 + (0.88 * value) / most;
  };
  return (
    <div className={styles.clock}>
      {peak && (
        <p className={styles.peak} data-testid="clock-peak">
          Busiest hour:{" "}
          <strong>
            {weekdayName(peak.weekday)}, {hourName(peak.hour)}
          </strong>{" "}
          with {by === "plays" ? `${formatInt(peak.plays)} ${peak.plays === 1 ? "play" : "plays"}` : formatDuration(peak.listening_ms)}{" "}
          of {by === "plays" ? formatInt(clock.plays) : formatDuration(clock.listening_ms)} in all
        </p>
      )}
      <table className={styles.grid} data-testid="clock" data-by={by}>
        <caption className="visually-hidden">
          {by === "plays" ? "Plays" : "Listening time"} by weekday and hour of day, hours in {clock.time_zone}
        </caption>
        <thead>
          <tr>
            <td className={styles.corner} />
            {HOURS.map((hour) => (
              <th key={hour} scope="col" className={styles.hour} data-every={hour % 6 === 0 ? 6 : hour % 3 === 0 ? 3 : 1}>
                <span>{hourName(hour)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((weekday) => (
            <tr key={weekday}>
              <th scope="row" className={styles.weekday}>
                <abbr title={weekdayName(weekday)}>{weekdayName(weekday, true)}</abbr>
              </th>
              {cells
                .filter((cell) => cell.weekday === weekday)
                .map((cell) => (
                  <td
                    key={cell.hour}
                    className={styles.cell}
                    style={{ "--level": level(cell) } as CSSProperties}
                    title={describe(cell)}
                    data-testid="clock-cell"
                    data-weekday={cell.weekday}
                    data-hour={cell.hour}
                    data-plays={cell.plays}
                    data-listening-ms={cell.listening_ms}
                  >
                    <span className="visually-hidden">{describe(cell)}</span>
                  </td>
                ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.legend} aria-hidden="true">
        <span>Less</span>
        {[0, 0.3, 0.55, 0.8, 1].map((shade) => (
          <span key={shade} className={styles.swatch} style={{ "--level": shade } as CSSProperties} />
        ))}
        <span>More</span>
      </div>
    </div>
  );
}
