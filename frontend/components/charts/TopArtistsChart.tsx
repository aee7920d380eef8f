"use client";

import { Bar, BarChart, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TooltipContentProps } from "recharts";
import type { TopArtist } from "@/lib/api";
import { formatDuration, formatInt } from "@/lib/format";
import ChartTooltip from "./ChartTooltip";

const ROW_HEIGHT = 30;

function truncate(text: string, length = 17): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

function ArtistTooltip({ active, payload }: TooltipContentProps) {
  const artist = payload?.[0]?.payload as TopArtist | undefined;
  if (!active || !artist) return null;
  return (
    <ChartTooltip
      title={artist.name}
      rows={[
        { label: "Listening time", value: formatDuration(artist.listening_ms) },
        { label: "Plays", value: formatInt(artist.plays) },
      ]}
    />
  );
}

/** Horizontal bars: the top artists by listening time (ask the API for them ranked so). */
export default function TopArtistsChart({ items: data }: { items: TopArtist[] }) {
  return (
    <div data-testid="chart-top-artists" style={{ width: "100%", height: data.length * ROW_HEIGHT + 8 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 0, right: 88, bottom: 0, left: 0 }} barCategoryGap={6}>
          <defs>
            <linearGradient id="artist-bar" x1="0" y1="0" x2="1" y2="0">
              <stop offset="0%" stopColor="#7c3aed" />
              <stop offset="60%" stopColor="#db2777" />
              <stop offset="100%" stopColor="#f59e0b" />
            </linearGradient>
          </defs>
          <XAxis type="number" dataKey="listening_ms" hide />
          <YAxis
            type="category"
            dataKey="name"
            width={140}
            tickLine={false}
            axisLine={false}
            tick={{ fill: "var(--muted)", fontSize: 12 }}
            tickFormatter={(name: string) => truncate(name)}
          />
          <Tooltip content={ArtistTooltip} cursor={{ fill: "rgba(255,255,255,0.04)", stroke: "none" }} />
          <Bar dataKey="listening_ms" fill="url(#artist-bar)" radius={[0, 6, 6, 0]} isAnimationActive={false}>
            <LabelList
              dataKey="listening_ms"
              position="right"
              formatter={(value) => formatDuration(Number(value))}
              style={{ fill: "var(--text)", fontSize: 12, fontVariantNumeric: "tabular-nums" }}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
