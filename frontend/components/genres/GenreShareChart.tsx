"use client";

import { area, stack, stackOrderNone, type SeriesPoint } from "d3-shape";
import { useMemo, useRef } from "react";
import type { Granularity, IsoDate } from "@/lib/api";
import { periodStarts } from "@/lib/dates";
import { formatDuration, formatPercent, formatPeriod, formatPeriodTick } from "@/lib/format";
import { genreColour, type GenreTrend, type GenreTrendPoint } from "@/lib/genres";
import { useElementWidth } from "@/lib/useElementWidth";
import ChartDataTable, { type ChartTableRow } from "@/components/charts/ChartDataTable";
import ChartTooltip, { type TooltipRow } from "@/components/charts/ChartTooltip";
import base from "@/components/charts/PeriodChart.module.css";
import { usePointedPeriod } from "@/components/charts/usePointedPeriod";
import styles from "./GenreShareChart.module.css";

const HEIGHT = 280;
const PLOT = { top: 8, right: 12, bottom: 24, left: 40 };
const SHARE_TICKS = [0, 0.25, 0.5, 0.75, 1];
// Period labels keep at least this far apart; a label's width is estimated from its length.
const LABEL_GAP = 24;
const LABEL_CHAR_WIDTH = 6.5;

/** A period on the time axis; one without music listening has no point. */
interface Row {
  period_start: IsoDate;
  point?: GenreTrendPoint;
}

function withGaps(points: GenreTrendPoint[], granularity: Granularity): Row[] {
  const byStart = new Map(points.map((point) => [point.period_start, point]));
  const starts = periodStarts(points[0].period_start, points[points.length - 1].period_start, granularity);
  return starts.map((start) => ({ period_start: start, point: byStart.get(start) }));
}

/** Month ticks over more than a year name the year at each January; others as elsewhere. */
function tickLabel(start: IsoDate, granularity: Granularity, manyMonths: boolean): string {
  if (granularity === "month" && manyMonths) return start.endsWith("-01-01") ? start.slice(0, 4) : "";
  return formatPeriodTick(start, granularity);
}

/** The chart in one sentence, for screen readers (the legend and the table hold the rest). */
function describe(trend: GenreTrend, points: GenreTrendPoint[]): string {
  const first = formatPeriod(points[0].period_start, trend.granularity);
  const last = formatPeriod(points[points.length - 1].period_start, trend.granularity);
  return `Share of each genre in your music by ${trend.granularity}, ${first} to ${last}: ${trend.genres.join(", ")}.`;
}

/** What the tooltip says about a period: its genres' shares, top layer first, then coverage. */
function tooltipRows(row: Row, trend: GenreTrend): TooltipRow[] {
  const point = row.point;
  if (!point) return [{ label: "No music", value: "" }];
  return [
    ...trend.genres
      .map((genre, index) => ({
        label: genre,
        value: formatPercent(point.shares[index]),
        color: genreColour(genre, index),
        share: point.shares[index],
      }))
      .filter((entry) => entry.share > 0)
      .reverse(),
    { label: "Genre coverage", value: formatPercent(point.coverage) },
    { label: "Music", value: formatDuration(point.listening_ms) },
  ];
}

function tableRows(trend: GenreTrend): ChartTableRow[] {
  return trend.points.map((point) => ({
    key: point.period_start,
    heading: formatPeriod(point.period_start, trend.granularity),
    cells: [
      ...point.shares.map((share) => formatPercent(share)),
      formatPercent(point.coverage),
      formatDuration(point.listening_ms),
    ],
  }));
}

/**
 * Each genre's share of the music whose genre is known, period by period, stacked to 100%:
 * one SVG drawn to the width it is given, a legend, a tooltip under the pointer, and the
 * figures as a table on request.
 */
export default function GenreShareChart({ trend }: { trend: GenreTrend }) {
  const { points, granularity, genres } = trend;
  const rows = useMemo(() => withGaps(points, granularity), [points, granularity]);
  const frame = useRef<HTMLDivElement>(null);
  const width = useElementWidth(frame);
  const plotWidth = Math.max(0, width - PLOT.left - PLOT.right);
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const { active, handlers } = usePointedPeriod(rows.length, PLOT.left, plotWidth);

  const drawing = useMemo(() => {
    const x = (index: number) => PLOT.left + (rows.length === 1 ? plotWidth / 2 : (index / (rows.length - 1)) * plotWidth);
    const y = (share: number) => PLOT.top + (1 - share) * plotHeight;
    const layers = stack<Row, number>()
      .keys(genres.map((_, index) => index))
      .value((row, index) => row.point?.shares[index] ?? 0)
      .order(stackOrderNone)(rows);
    // Periods without music, or without a known genre, are gaps, not drops to nothing.
    const shape = area<SeriesPoint<Row>>()
      .defined(({ data }) => (data.point?.coverage ?? 0) > 0)
      .x((_, index) => x(index))
      .y0(([low]) => y(low))
      .y1(([, high]) => y(high));
    // One period alone is drawn as a band as wide as the plot.
    const single = (low: number, high: number) =>
      `M${PLOT.left},${y(high)}H${PLOT.left + plotWidth}V${y(low)}H${PLOT.left}Z`;
    const paths = layers.map((layer) =>
      rows.length === 1 ? single(layer[0][0], layer[0][1]) : (shape(layer) ?? ""),
    );
    const manyMonths = granularity === "month" && rows.length > 12;
    const labels = rows.map((row) => tickLabel(row.period_start, granularity, manyMonths));
    const spacing = rows.length > 1 ? plotWidth / (rows.length - 1) : plotWidth;
    const widest = Math.max(...labels.map((label) => label.length)) * LABEL_CHAR_WIDTH + LABEL_GAP;
    const step = manyMonths ? 1 : Math.max(1, Math.ceil(widest / Math.max(1, spacing)));
    const everyYears = manyMonths ? Math.max(1, Math.ceil(widest / Math.max(1, spacing * 12))) : 1;
    const ticks = labels.flatMap((label, index) => {
      if (!label || index % step !== 0) return [];
      if (manyMonths && Number(label) % everyYears !== 0) return [];
      return [{ index, label }];
    });
    return { x, y, paths, ticks };
  }, [rows, genres, granularity, plotWidth, plotHeight]);

  const { x, y } = drawing;
  const activeRow = active === null ? undefined : rows[active];
  return (
    <figure className={base.figure}>
      <ul className={styles.legend} aria-label="Genres" data-testid="genre-legend">
        {genres.map((genre, index) => (
          <li key={genre}>
            <i style={{ background: genreColour(genre, index) }} aria-hidden="true" /> {genre}
          </li>
        ))}
      </ul>
      <div className={styles.chart} ref={frame} data-testid="chart-genre-share" data-granularity={granularity}>
        {width > 0 && (
          <svg
            className={base.svg}
            width={width}
            height={HEIGHT}
            role="img"
            aria-label={describe(trend, points)}
            {...handlers}
          >
            {drawing.paths.map((path, index) => (
              <path key={genres[index]} d={path} fill={genreColour(genres[index], index)} className={styles.layer} />
            ))}
            {SHARE_TICKS.map((tick) => (
              <g key={tick}>
                <line className={base.grid} x1={PLOT.left} x2={width - PLOT.right} y1={y(tick)} y2={y(tick)} />
                <text className={base.tick} x={PLOT.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle">
                  {formatPercent(tick)}
                </text>
              </g>
            ))}
            {drawing.ticks.map(({ index, label }) => (
              <text key={index} className={base.tick} x={x(index)} y={HEIGHT - 6} textAnchor="middle">
                {label}
              </text>
            ))}
            {active !== null && <line className={base.cursor} x1={x(active)} x2={x(active)} y1={PLOT.top} y2={y(0)} />}
          </svg>
        )}
        {activeRow && active !== null && (
          <ChartTooltip
            x={x(active)}
            width={width}
            testId="genre-share-tooltip"
            title={formatPeriod(activeRow.period_start, granularity)}
            rows={tooltipRows(activeRow, trend)}
          />
        )}
      </div>
      <ChartDataTable
        label="Genre shares, period by period"
        columns={["Period", ...genres, "Genre coverage", "Music"]}
        rows={() => tableRows(trend)}
        testId="genre-trend-table"
      />
    </figure>
  );
}
