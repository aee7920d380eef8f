import type { EntityMood } from "@/lib/entities";
import { formatDuration, formatPercent, formatScore } from "@/lib/format";
import { moodColor } from "@/lib/mood";
import styles from "./EntityMoodPanel.module.css";

interface Score {
  label: string;
  ends: [string, string];
  value: number;
  color: string;
  testId: string;
}

/** Valence and energy of its tracks played in the range, and how much of that time they cover. */
export default function EntityMoodPanel({ mood }: { mood: EntityMood }) {
  if (mood.valence === null || mood.energy === null) {
    return (
      <p className={styles.none} data-testid="mood-unknown">
        {mood.listening_ms === 0
          ? "No plays in this range."
          : "No audio features are known for what you played: Moodify fetches them after an import."}
      </p>
    );
  }
  const scores: Score[] = [
    { label: "Valence", ends: ["melancholic", "upbeat"], value: mood.valence, color: moodColor(mood.valence), testId: "mood-valence" },
    { label: "Energy", ends: ["calm", "energetic"], value: mood.energy, color: "var(--energy)", testId: "mood-energy" },
  ];
  return (
    <div className={styles.mood}>
      {scores.map((score) => (
        <div key={score.label} className={styles.score}>
          <div className={styles.head}>
            <span className={styles.label}>{score.label}</span>
            <span className={styles.value} data-testid={score.testId}>
              {formatScore(score.value)}
            </span>
          </div>
          <span className={styles.track} aria-hidden="true">
            <span className={styles.fill} style={{ width: `${score.value * 100}%`, background: score.color }} />
          </span>
          <div className={styles.ends} aria-hidden="true">
            <span>{score.ends[0]}</span>
            <span>{score.ends[1]}</span>
          </div>
        </div>
      ))}
      <p className={styles.coverage} data-testid="mood-coverage">
        Audio features known for <strong>{formatPercent(mood.coverage)}</strong> of {formatDuration(mood.listening_ms)}{" "}
        listened; the scores are weighted by listening time.
      </p>
    </div>
  );
}
