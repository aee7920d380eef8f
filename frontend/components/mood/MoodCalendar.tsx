"use client";

import { useEffect, useMemo, useRef, useState, type MouseEvent } from "react";
import type { MoodDay } from "@/lib/api";
import { yearCells } from "@/lib/dates";
import { formatInt, formatMonthShort, formatWeekday } from "@/lib/format";
import { describeDay, LOW_COVERAGE, moodColor } from "@/lib/mood";
import { useToday } from "@/lib/useNow";
import styles from "./MoodCalendar.module.css";

const CELL = 12;
const STEP = 15;
const LEFT = 30;
const TOP = 18;
const TOOLTIP_HALF_WIDTH = 150;
const WEEKDAYS = [
  { row: 0, label: "Mon" },
  { row: 2, label: "Wed" },
  { row: 4, label: "Fri" },
];

interface Hover {
  day: MoodDay | undefined;
  date: string;
  x: number;
  y: number;
}

function cellStyle(day: MoodDay | undefined, future: boolean): { className: string; fill?: string } {
  if (!day) return { className: future ? styles.future : styles.empty };
  if (day.valence === null) return { className: styles.noFeatures };
  const lowCoverage = day.coverage < LOW_COVERAGE;
  return { className: lowCoverage ? styles.lowCoverage : styles.day, fill: moodColor(day.valence) };
}

/** A year of days (Monday-first week columns), each coloured by its listening-weighted valence. */
export default function MoodCalendar({ year, days }: { year: number; days: MoodDay[] }) {
  const cells = useMemo(() => yearCells(year), [year]);
  const byDate = useMemo(() => new Map(days.map((day) => [day.date, day])), [days]);
  const frame = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<Hover | null>(null);

  const weeks = cells[cells.length - 1].week + 1;
  const width = LEFT + weeks * STEP;
  const height = TOP + 7 * STEP;
  const months = cells.filter((cell) => cell.date.endsWith("-01"));
  const today = useToday();

  // On narrow screens the grid scrolls: bring the latest listening into view.
  const lastDate = days[days.length - 1]?.date;
  useEffect(() => {
    const element = scroller.current;
    const last = cells.find((cell) => cell.date === lastDate);
    if (!element || !last || element.scrollWidth <= element.clientWidth) return;
    const right = ((LEFT + (last.week + 1) * STEP) / width) * element.scrollWidth;
    element.scrollLeft = right - element.clientWidth + STEP;
  }, [cells, lastDate, width]);

  const onMove = (event: MouseEvent<SVGSVGElement>) => {
    const target = (event.target as Element).closest<SVGRectElement>("rect[data-date]");
    if (!target || !frame.current) return setHover(null);
    const box = target.getBoundingClientRect();
    const bounds = frame.current.getBoundingClientRect();
    const date = target.dataset.date!;
    const half = Math.min(TOOLTIP_HALF_WIDTH, bounds.width / 2);
    setHover({
      day: byDate.get(date),
      date,
      x: Math.min(Math.max(box.left + box.width / 2 - bounds.left, half), bounds.width - half),
      y: box.top - bounds.top,
    });
  };

  return (
    <div className={styles.frame} ref={frame}>
      <div className={styles.scroller} ref={scroller}>
      <svg
        className={styles.svg}
        viewBox={`0 0 ${width} ${height}`}
        data-testid="mood-calendar"
        data-year={year}
        role="group"
        aria-label={`Daily mood in ${year}`}
        onMouseMove={onMove}
        onMouseLeave={() => setHover(null)}
      >
        <defs>
          <pattern id="no-features" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="4" height="4" fill="rgba(255,255,255,0.05)" />
            <line x1="0" y1="0" x2="0" y2="4" stroke="rgba(255,255,255,0.35)" strokeWidth="1.4" />
          </pattern>
        </defs>
        {months.map((cell) => (
          <text key={cell.date} className={styles.label} x={LEFT + cell.week * STEP} y={TOP - 6}>
            {formatMonthShort(cell.date)}
          </text>
        ))}
        {WEEKDAYS.map(({ row, label }) => (
          <text key={label} className={styles.label} x={0} y={TOP + row * STEP + CELL - 2}>
            {label}
          </text>
        ))}
        {cells.map((cell) => {
          const day = byDate.get(cell.date);
          const { className, fill } = cellStyle(day, cell.date > today);
          const hovered = hover?.date === cell.date;
          return (
            <rect
              key={cell.date}
              className={hovered ? `${className} ${styles.hovered}` : className}
              x={LEFT + cell.week * STEP}
              y={TOP + cell.weekday * STEP}
              width={CELL}
              height={CELL}
              rx={2.5}
              style={fill ? { fill, stroke: fill } : undefined}
              data-testid="mood-day"
              data-date={cell.date}
              data-empty={day ? undefined : "true"}
              data-valence={day?.valence ?? undefined}
              data-energy={day?.energy ?? undefined}
              data-coverage={day?.coverage}
              role="img"
              aria-label={`${formatWeekday(cell.date)}: ${day ? describeDay(day) : "no listening"}`}
            />
          );
        })}
      </svg>
      </div>
      {hover && (
        <div
          className={styles.tooltip}
          style={{ left: hover.x, top: hover.y }}
          role="tooltip"
          data-testid="mood-tooltip"
        >
          <div className={styles.tooltipTitle}>
            {formatWeekday(hover.date)}
            {hover.day && <span className={styles.plays}>{formatInt(hover.day.plays)} plays</span>}
          </div>
          <div className={styles.tooltipBody}>{hover.day ? describeDay(hover.day) : "No listening"}</div>
          {hover.day?.valence != null && (
            <span
              className={styles.tooltipSwatch}
              style={{ background: moodColor(hover.day.valence) }}
              aria-hidden="true"
            />
          )}
        </div>
      )}
    </div>
  );
}
