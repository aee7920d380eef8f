import { formatDuration, formatInt } from "@/lib/format";
import type { HourListening } from "@/lib/playback";
import styles from "./HourStrip.module.css";

const hourLabel = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

/** The 24 local hours as a strip of cells, each as strong as the listening started in it. */
export default function HourStrip({ hours, timeZone }: { hours: HourListening[]; timeZone: string }) {
  const most = Math.max(0, ...hours.map((hour) => hour.listening_ms));
  const peak = hours.find((hour) => most > 0 && hour.listening_ms === most);
  return (
    <figure className={styles.figure}>
      <ol className={styles.strip} data-testid="hour-strip">
        {hours.map((hour) => {
          const label = `${hourLabel(hour.hour)}–${hourLabel((hour.hour + 1) % 24)}: ${formatDuration(hour.listening_ms)}, ${formatInt(hour.plays)} plays`;
          return (
            <li
              key={hour.hour}
              className={styles.cell}
              style={{ opacity: most > 0 ? 0.12 + (0.88 * hour.listening_ms) / most : 0.12 }}
              title={label}
              data-testid="hour-cell"
              data-hour={hour.hour}
              data-ms={hour.listening_ms}
            >
              {/* The cell's figures, for screen readers: the strip itself is only colour. */}
              <span className="visually-hidden">{label}</span>
            </li>
          );
        })}
      </ol>
      <div className={styles.axis} aria-hidden="true">
        {[0, 6, 12, 18, 24].map((hour) => (
          <span key={hour}>{hourLabel(hour % 24)}</span>
        ))}
      </div>
      <figcaption className={styles.caption} data-testid="hour-peak">
        {peak
          ? `Most listened between ${hourLabel(peak.hour)} and ${hourLabel((peak.hour + 1) % 24)} (${timeZone})`
          : "No listening in this range"}
      </figcaption>
    </figure>
  );
}
