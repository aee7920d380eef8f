"use client";

import { useState, type PointerEvent } from "react";

/**
 * The period nearest the pointer on a chart of `count` periods spread evenly over a plot
 * `plotWidth` wide from `plotLeft`, and the handlers to spread on its SVG: moving or pressing
 * picks, leaving clears.
 */
export function usePointedPeriod(count: number, plotLeft: number, plotWidth: number) {
  const [active, setActive] = useState<number | null>(null);
  const pick = (event: PointerEvent<SVGSVGElement>) => {
    const bounds = event.currentTarget.getBoundingClientRect();
    const ratio = plotWidth > 0 ? (event.clientX - bounds.left - plotLeft) / plotWidth : 0;
    setActive(Math.min(count - 1, Math.max(0, Math.round(ratio * (count - 1)))));
  };
  const handlers = { onPointerMove: pick, onPointerDown: pick, onPointerLeave: () => setActive(null) };
  return { active, handlers };
}
