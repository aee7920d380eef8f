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
    { label: "Days listened", value: String(days.length), hint: formatDuration(listening) },
    {
      label: "Average valence",
      value: formatScore(valence),
      color: valence === null ? undefined : moodColor(valence),
    },
    { label: "Average energy", value: formatScore(energy) },
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
            {item.color && <span className={styles.dot} style={{ background: item.color }} />}
            {item.value}
            {item.hint && <span className={styles.hint}>{item.hint}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
