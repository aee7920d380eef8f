import type { MoodDay } from "@/lib/api";
import { formatDate, formatDuration, formatScore } from "@/lib/format";
import { LOW_COVERAGE, moodColor, weightedMean } from "@/lib/mood";
import styles from "./MoodHighlights.module.css";

interface Highlight {
  label: string;
  value: string;
  hint?: string;
  color?: string;
}

function describeLevel(score: number, [low, middle, high]: [string, string, string]): string {
  if (score < 0.45) return `on the ${low} side`;
  return score > 0.55 ? `on the ${high} side` : middle;
}

/** The year at a glance: average mood and its brightest and darkest days. */
export default function MoodHighlights({ days }: { days: MoodDay[] }) {
  const valence = weightedMean(days, (day) => day.valence);
  const energy = weightedMean(days, (day) => day.energy);
  const scored = days.filter((day) => day.valence !== null && day.coverage >= LOW_COVERAGE);
  const byValence = [...scored].sort((a, b) => a.valence! - b.valence!);
  const saddest = byValence[0];
  const happiest = byValence[byValence.length - 1];
  const listening = days.reduce((total, day) => total + day.listening_ms, 0);

  const items: Highlight[] = [
    { label: "Days listened", value: String(days.length), hint: `${formatDuration(listening)} of music` },
    {
      label: "Average valence",
      value: formatScore(valence),
      hint: valence === null ? undefined : describeLevel(valence, ["melancholic", "balanced", "upbeat"]),
      color: valence === null ? undefined : moodColor(valence),
    },
    {
      label: "Average energy",
      value: formatScore(energy),
      hint: energy === null ? undefined : describeLevel(energy, ["calm", "moderate", "energetic"]),
    },
  ];
  if (happiest && saddest) {
    items.push(
      {
        label: "Most upbeat day",
        value: formatDate(happiest.date),
        hint: `valence ${formatScore(happiest.valence)}`,
        color: moodColor(happiest.valence!),
      },
      {
        label: "Most melancholic day",
        value: formatDate(saddest.date),
        hint: `valence ${formatScore(saddest.valence)}`,
        color: moodColor(saddest.valence!),
      },
    );
  }

  return (
    <dl className={styles.highlights} data-testid="mood-highlights">
      {items.map((item) => (
        <div key={item.label} className={styles.item}>
          <dt>{item.label}</dt>
          <dd>
            <span className={styles.value}>
              {item.color && <span className={styles.dot} style={{ background: item.color }} />}
              {item.value}
            </span>
            {item.hint && <span className={styles.hint}>{item.hint}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
