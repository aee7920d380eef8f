import type { CSSProperties } from "react";
import type { EntityMonth } from "@/lib/entities";
import { formatInt, formatMonthShort, formatPeriod } from "@/lib/format";
import styles from "./MonthlyPlays.module.css";

const SLOT = 10; // a month's width in the drawing's units; its bar leaves a gap of 2
const HEIGHT = 100;
const MAX_LABELS = 6;

const plural = (n: number, one: string) => `${formatInt(n)} ${n === 1 ? one : `${one}s`}`;

interface Label {
  index: number;
  text: string;
}

/** Years under a long history, months under a short one; never more than fit at 320 px. */
function axisLabels(months: EntityMonth[]): Label[] {
  const byYear = months.length > 18;
  const candidates = months.flatMap(({ month }, index) => {
    if (!byYear) return [{ index, text: formatMonthShort(month) }];
    // A first year with under half of it shown would crowd the next year's label.
    const labelled = month.endsWith("-01-01") || (index === 0 && Number(month.slice(5, 7)) <= 6);
    return labelled ? [{ index, text: month.slice(0, 4) }] : [];
  });
  const step = Math.ceil(candidates.length / MAX_LABELS);
  return candidates.filter((_, i) => i % step === 0);
}

/** Under its month's bar; the first and last kept inside the chart's edges. */
function labelPlace(index: number, count: number): CSSProperties {
  if (index === 0) return { left: 0 };
  const left = `${((index + 0.5) / count) * 100}%`;
  return { left, transform: index === count - 1 ? "translateX(-100%)" : "translateX(-50%)" };
}

/** Plays per local month over the whole history, as light bars (one SVG, no chart library). */
export default function MonthlyPlays({ months }: { months: EntityMonth[] }) {
  const most = months.reduce((best, month) => (month.plays > best.plays ? month : best), months[0]);
  const top = Math.max(1, most.plays);
  const width = months.length * SLOT;
  const summary = `Plays per month from ${formatPeriod(months[0].month, "month")} to ${formatPeriod(
    months[months.length - 1].month,
    "month",
  )}; the most, ${plural(most.plays, "play")}, in ${formatPeriod(most.month, "month")}.`;
  return (
    <figure className={styles.figure} style={{ maxWidth: `${months.length * 64}px` }} data-testid="monthly-plays">
      <p className={styles.peak}>
        Peak: <strong>{plural(most.plays, "play")}</strong> in {formatPeriod(most.month, "month")}
      </p>
      <svg className={styles.chart} viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        <line className={styles.baseline} x1={0} x2={width} y1={HEIGHT} y2={HEIGHT} vectorEffect="non-scaling-stroke" />
        {months.map((month, index) => {
          const height = (month.plays / top) * (HEIGHT - 4);
          return (
            <rect
              key={month.month}
              className={styles.bar}
              x={index * SLOT + 1}
              y={HEIGHT - height}
              width={SLOT - 2}
              height={height}
              data-testid="month-bar"
              data-month={month.month}
              data-plays={month.plays}
            >
              <title>{`${formatPeriod(month.month, "month")}: ${plural(month.plays, "play")}`}</title>
            </rect>
          );
        })}
      </svg>
      <div className={styles.axis} aria-hidden="true">
        {axisLabels(months).map(({ index, text }) => (
          <span key={index} className={styles.label} style={labelPlace(index, months.length)}>
            {text}
          </span>
        ))}
      </div>
    </figure>
  );
}
