"use client";

import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { TooltipContentProps } from "recharts";
import type { Granularity, MoodTrendPoint } from "@/lib/api";
import { periodStarts } from "@/lib/dates";
import { formatDuration, formatPercent, formatPeriod, formatPeriodTick, formatScore } from "@/lib/format";
import ChartTooltip from "./ChartTooltip";
import styles from "./MoodTrendsChart.module.css";

const VALENCE = "#fbbf24";
const ENERGY = "#f472b6";
const COVERAGE = "rgba(167, 139, 250, 0.9)";
const TICK = { fill: "var(--faint)", fontSize: 11 };

/** A period on the time axis; one without listening has no values, so lines break there. */
type Row = Pick<MoodTrendPoint, "period_start"> & Partial<MoodTrendPoint>;

function withGaps(points: MoodTrendPoint[], granularity: Granularity): Row[] {
  const byStart = new Map(points.map((point) => [point.period_start, point]));
  const starts = periodStarts(points[0].period_start, points[points.length - 1].period_start, granularity);
  return starts.map((start) => byStart.get(start) ?? { period_start: start });
}

function trendTooltip(granularity: Granularity) {
  return function TrendTooltip({ active, payload }: TooltipContentProps) {
    const point = payload?.[0]?.payload as Row | undefined;
    if (!active || !point) return null;
    if (point.listening_ms === undefined) {
      return <ChartTooltip title={formatPeriod(point.period_start, granularity)} rows={[{ label: "No listening", value: "" }]} />;
    }
    return (
      <ChartTooltip
        title={formatPeriod(point.period_start, granularity)}
        rows={[
          { label: "Valence", value: formatScore(point.valence ?? null), color: VALENCE },
          { label: "Energy", value: formatScore(point.energy ?? null), color: ENERGY },
          { label: "Feature coverage", value: formatPercent(point.coverage ?? 0), color: COVERAGE },
          { label: "Listening", value: formatDuration(point.listening_ms) },
        ]}
      />
    );
  };
}

/** Valence and energy per period, over the share of listening time that has audio features. */
export default function MoodTrendsChart({ points, granularity }: { points: MoodTrendPoint[]; granularity: Granularity }) {
  const rows = withGaps(points, granularity);
  const dots = rows.length <= 16;
  return (
    <div>
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
      <div className={styles.chart} data-testid="chart-mood-trends" data-granularity={granularity}>
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 8, right: 4, bottom: 0, left: -18 }}>
            <defs>
              <linearGradient id="coverage-fill" x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor="#a78bfa" stopOpacity={0.13} />
                <stop offset="100%" stopColor="#a78bfa" stopOpacity={0.01} />
              </linearGradient>
            </defs>
            <CartesianGrid vertical={false} stroke="rgba(255,255,255,0.06)" />
            <XAxis
              dataKey="period_start"
              tickFormatter={(date: string) => formatPeriodTick(date, granularity)}
              tick={TICK}
              tickLine={false}
              axisLine={{ stroke: "rgba(255,255,255,0.1)" }}
              minTickGap={28}
            />
            <YAxis
              yAxisId="score"
              domain={[0, 1]}
              ticks={[0, 0.25, 0.5, 0.75, 1]}
              tick={TICK}
              tickLine={false}
              axisLine={false}
            />
            <YAxis
              yAxisId="coverage"
              orientation="right"
              domain={[0, 1]}
              ticks={[0, 0.5, 1]}
              tickFormatter={(value: number) => formatPercent(value)}
              tick={TICK}
              tickLine={false}
              axisLine={false}
              width={40}
            />
            <ReferenceLine yAxisId="score" y={0.5} stroke="rgba(255,255,255,0.16)" strokeDasharray="4 4" />
            <Area
              yAxisId="coverage"
              dataKey="coverage"
              type="monotone"
              stroke="rgba(167,139,250,0.3)"
              strokeWidth={1}
              fill="url(#coverage-fill)"
              isAnimationActive={false}
            />
            <Line
              yAxisId="score"
              dataKey="energy"
              type="monotone"
              stroke={ENERGY}
              strokeWidth={2.25}
              dot={dots ? { r: 3, strokeWidth: 0, fill: ENERGY } : false}
              activeDot={{ r: 4, strokeWidth: 0 }}
              isAnimationActive={false}
            />
            <Line
              yAxisId="score"
              dataKey="valence"
              type="monotone"
              stroke={VALENCE}
              strokeWidth={2.5}
              dot={dots ? { r: 3, strokeWidth: 0, fill: VALENCE } : false}
              activeDot={{ r: 4, strokeWidth: 0 }}
              isAnimationActive={false}
            />
            <Tooltip
              content={trendTooltip(granularity)}
              cursor={{ stroke: "rgba(255,255,255,0.2)", strokeWidth: 1 }}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
