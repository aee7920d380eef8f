"use client";

import { area, curveMonotoneX, line } from "d3-shape";
import { useMemo, useRef } from "react";
import type { Granularity, MoodTrendPoint } from "@/lib/api";
import { periodStarts } from "@/lib/dates";
import { formatDuration, formatPercent, formatPeriod, formatPeriodTick, formatScore } from "@/lib/format";
import { useElementWidth } from "@/lib/useElementWidth";
import ChartDataTable, { type ChartTableRow } from "./ChartDataTable";
import ChartTooltip, { type TooltipRow } from "./ChartTooltip";
import styles from "./MoodTrendsChart.module.css";
import base from "./PeriodChart.module.css";
import { usePointedPeriod } from "./usePointedPeriod";

const VALENCE = "#fbbf24";
const ENERGY = "#f472b6";
const COVERAGE = "rgba(167, 139, 250, 0.9)";
const HEIGHT = 300;
const PLOT = { top: 8, right: 40, bottom: 24, left: 34 };
const PLOT_HEIGHT = HEIGHT - PLOT.top - PLOT.bottom;
const SCORE_TICKS = [0, 0.25, 0.5, 0.75, 1];
const COVERAGE_TICKS = [0, 0.5, 1];
// Period labels keep at least this far apart; a label's width is estimated from its length.
const LABEL_GAP = 28;
const LABEL_CHAR_WIDTH = 6.5;
const MAX_DOTTED = 16;

/** A period on the time axis; one without listening has no values, so lines break there. */
type Row = Pick<MoodTrendPoint, "period_start"> & Partial<MoodTrendPoint>;

function withGaps(points: MoodTrendPoint[], granularity: Granularity): Row[] {
  const byStart = new Map(points.map((point) => [point.period_start, point]));
  const starts = periodStarts(points[0].period_start, points[points.length - 1].period_start, granularity);
  return starts.map((start) => byStart.get(start) ?? { period_start: start });
}

/** Where a period (by index) and a score or share (0..1) go, in a drawing `width` wide. */
function scales(width: number, count: number) {
  const plotWidth = Math.max(0, width - PLOT.left - PLOT.right);
  return {
    plotWidth,
    x: (index: number) => PLOT.left + (count === 1 ? plotWidth / 2 : (index / (count - 1)) * plotWidth),
    y: (value: number) => PLOT.top + (1 - value) * PLOT_HEIGHT,
  };
}

function range(values: (number | null)[]): string {
  const known = values.filter((value): value is number => value !== null);
  if (known.length === 0) return "unknown";
  return `${formatScore(Math.min(...known))} to ${formatScore(Math.max(...known))}`;
}

/** The chart in one sentence, for screen readers (the table below holds every figure). */
function describe(points: MoodTrendPoint[], granularity: Granularity): string {
  const first = formatPeriod(points[0].period_start, granularity);
  const last = formatPeriod(points[points.length - 1].period_start, granularity);
  return (
    `Valence and energy by ${granularity}, ${first} to ${last}: valence from ` +
    `${range(points.map((point) => point.valence))}, energy from ${range(points.map((point) => point.energy))}.`
  );
}

/** What the tooltip says about a period. */
function tooltipRows(row: Row): TooltipRow[] {
  if (row.listening_ms === undefined) return [{ label: "No listening", value: "" }];
  return [
    { label: "Valence", value: formatScore(row.valence ?? null), color: VALENCE },
    { label: "Energy", value: formatScore(row.energy ?? null), color: ENERGY },
    { label: "Feature coverage", value: formatPercent(row.coverage ?? 0), color: COVERAGE },
    { label: "Listening", value: formatDuration(row.listening_ms) },
  ];
}

const TABLE_COLUMNS = ["Period", "Valence", "Energy", "Feature coverage", "Listening"];

function tableRows(points: MoodTrendPoint[], granularity: Granularity): ChartTableRow[] {
  return points.map((point) => ({
    key: point.period_start,
    heading: formatPeriod(point.period_start, granularity),
    cells: [
      formatScore(point.valence),
      formatScore(point.energy),
      formatPercent(point.coverage),
      formatDuration(point.listening_ms),
    ],
  }));
}

/**
 * Valence and energy per period, over the share of listening time that has audio features:
 * one SVG drawn to the width it is given, a tooltip under the pointer, and the figures as a
 * table on request.
 */
export default function MoodTrendsChart({ points, granularity }: { points: MoodTrendPoint[]; granularity: Granularity }) {
  const rows = useMemo(() => withGaps(points, granularity), [points, granularity]);
  const frame = useRef<HTMLDivElement>(null);
  const width = useElementWidth(frame);
  const { plotWidth, x, y } = useMemo(() => scales(width, rows.length), [width, rows.length]);
  const { active, handlers } = usePointedPeriod(rows.length, PLOT.left, plotWidth);

  const drawing = useMemo(() => {
    const trace = (key: "valence" | "energy") =>
      line<Row>()
        .defined((row) => row[key] != null)
        .x((_, index) => x(index))
        .y((row) => y(row[key]!))
        .curve(curveMonotoneX)(rows) ?? "";
    const coverage =
      area<Row>()
        .defined((row) => row.coverage !== undefined)
        .x((_, index) => x(index))
        .y0(y(0))
        .y1((row) => y(row.coverage!))
        .curve(curveMonotoneX)(rows) ?? "";
    const labels = rows.map((row) => formatPeriodTick(row.period_start, granularity));
    const spacing = rows.length > 1 ? plotWidth / (rows.length - 1) : plotWidth;
    const widest = Math.max(...labels.map((label) => label.length)) * LABEL_CHAR_WIDTH + LABEL_GAP;
    const step = Math.max(1, Math.ceil(widest / Math.max(1, spacing)));
    const ticks = labels.flatMap((label, index) => (index % step === 0 ? [{ index, label }] : []));
    return { valence: trace("valence"), energy: trace("energy"), coverage, ticks };
  }, [rows, granularity, plotWidth, x, y]);

  const dots = rows.length <= MAX_DOTTED;
  const activeRow = active === null ? undefined : rows[active];
  return (
    <figure className={base.figure}>
      <div className={styles.legend} aria-hidden="true">
        <span>
          <i style={{ background: VALENCE }} /> Valence
        </span>
        <span>
          <i style={{ background: ENERGY }} /> Energy
        </span>
        <span>
          <i className={styles.area} /> Feature coverage
        </span>
      </div>
      <div className={styles.chart} ref={frame} data-testid="chart-mood-trends" data-granularity={granularity}>
        {width > 0 && (
          <svg
            className={base.svg}
            width={width}
            height={HEIGHT}
            role="img"
            aria-label={describe(points, granularity)}
            {...handlers}
          >
            {SCORE_TICKS.map((tick) => (
              <g key={tick}>
                <line className={base.grid} x1={PLOT.left} x2={width - PLOT.right} y1={y(tick)} y2={y(tick)} />
                <text className={base.tick} x={PLOT.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle">
                  {tick}
                </text>
              </g>
            ))}
            {COVERAGE_TICKS.map((tick) => (
              <text key={tick} className={base.tick} x={width - PLOT.right + 6} y={y(tick)} dominantBaseline="middle">
                {formatPercent(tick)}
              </text>
            ))}
            <line className={styles.axis} x1={PLOT.left} x2={width - PLOT.right} y1={y(0)} y2={y(0)} />
            {drawing.ticks.map(({ index, label }) => (
              <text key={index} className={base.tick} x={x(index)} y={HEIGHT - 6} textAnchor="middle">
                {label}
              </text>
            ))}
            <line className={styles.reference} x1={PLOT.left} x2={width - PLOT.right} y1={y(0.5)} y2={y(0.5)} />
            <path className={styles.coverage} d={drawing.coverage} />
            <path className={styles.line} d={drawing.energy} stroke={ENERGY} strokeWidth={2.25} />
            <path className={styles.line} d={drawing.valence} stroke={VALENCE} strokeWidth={2.5} />
            {active !== null && <line className={base.cursor} x1={x(active)} x2={x(active)} y1={PLOT.top} y2={y(0)} />}
            {rows.map((row, index) =>
              (["energy", "valence"] as const).map((key) => {
                const value = row[key];
                const shown = dots || index === active;
                if (value == null || !shown) return null;
                return (
                  <circle
                    key={`${key}-${row.period_start}`}
                    cx={x(index)}
                    cy={y(value)}
                    r={index === active ? 4 : 3}
                    fill={key === "valence" ? VALENCE : ENERGY}
                  />
                );
              }),
            )}
          </svg>
        )}
        {activeRow && active !== null && (
          <ChartTooltip
            x={x(active)}
            width={width}
            testId="mood-trends-tooltip"
            title={formatPeriod(activeRow.period_start, granularity)}
            rows={tooltipRows(activeRow)}
          />
        )}
      </div>
      <ChartDataTable
        label="Valence and energy, period by period"
        columns={TABLE_COLUMNS}
        rows={() => tableRows(points, granularity)}
      />
    </figure>
  );
}
