import { LOW_COVERAGE, MOOD_GRADIENT, VALENCE_DOMAIN, moodColor } from "@/lib/mood";
import { formatPercent } from "@/lib/format";
import styles from "./MoodLegend.module.css";

/** Explains the calendar: the valence scale and the special cells. */
export default function MoodLegend() {
  const [low, high] = VALENCE_DOMAIN;
  return (
    <div className={styles.legend} data-testid="mood-legend">
      <div className={styles.scale}>
        <span className={styles.end}>Melancholic</span>
        <span className={styles.barWrap}>
          <span className={styles.bar} style={{ background: MOOD_GRADIENT }} />
          <span className={styles.ticks}>
            <span>≤ {low.toFixed(1)}</span>
            <span>valence</span>
            <span>≥ {high.toFixed(1)}</span>
          </span>
        </span>
        <span className={styles.end}>Upbeat</span>
      </div>
      <div className={styles.keys}>
        <span className={styles.key}>
          <svg viewBox="0 0 12 12" className={styles.swatch} aria-hidden="true">
            <rect
              x="0.5"
              y="0.5"
              width="11"
              height="11"
              rx="2.5"
              fill={moodColor(0.6)}
              fillOpacity="0.3"
              stroke={moodColor(0.6)}
            />
          </svg>
          Features for under {formatPercent(LOW_COVERAGE)} of listening
        </span>
        <span className={styles.key}>
          <svg viewBox="0 0 12 12" className={styles.swatch} aria-hidden="true">
            <defs>
              <pattern id="legend-hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="4" height="4" fill="rgba(255,255,255,0.05)" />
                <line x1="0" y1="0" x2="0" y2="4" stroke="rgba(255,255,255,0.35)" strokeWidth="1.4" />
              </pattern>
            </defs>
            <rect width="12" height="12" rx="2.5" fill="url(#legend-hatch)" />
          </svg>
          No audio features
        </span>
        <span className={styles.key}>
          <svg viewBox="0 0 12 12" className={styles.swatch} aria-hidden="true">
            <rect width="12" height="12" rx="2.5" fill="rgba(255,255,255,0.045)" />
          </svg>
          No listening
        </span>
      </div>
    </div>
  );
}
