"use client";

import { useId, useState } from "react";
import { localMidnight, type ExclusionRuleIn } from "@/lib/exclusions";
import type { Recap } from "@/lib/recap";
import { parseIsoDate, toIsoDate } from "@/lib/dates";
import form from "@/components/settings/SettingForm.module.css";
import ExcludeButton from "./ExcludeButton";

const TOPS_OFFERED = 5;

interface Choice {
  label: string;
  what: string;
  rule: ExclusionRuleIn;
}

function choices(recap: Recap, title: string, timeZone: string): Choice[] {
  const dayAfter = toIsoDate(new Date(parseIsoDate(recap.to).getTime() + 86_400_000));
  return [
    ...recap.top_artists.slice(0, TOPS_OFFERED).map((artist) => ({
      label: `Artist: ${artist.name}`,
      what: `every play of ${artist.name}`,
      rule: { kind: "artist", item_id: artist.artist_id } as const,
    })),
    ...recap.top_tracks.slice(0, TOPS_OFFERED).map((track) => ({
      label: `Track: ${track.name}`,
      what: `every play of ${track.name}`,
      rule: { kind: "track", item_id: track.track_id } as const,
    })),
    {
      label: `All of ${title} (a party, a guest)`,
      what: `every play of ${title}`,
      rule: {
        kind: "window",
        starts_at: localMidnight(recap.from, timeZone),
        ends_at: localMidnight(dayAfter, timeZone),
        note: `Recap of ${title}`,
      },
    },
  ];
}

/** "Exclude" on a recap: one of its top artists or tracks, or its whole period as a one-off window. */
export default function RecapExclude({ recap, title, timeZone }: { recap: Recap; title: string; timeZone: string }) {
  const id = useId();
  const offered = choices(recap, title, timeZone);
  const [chosen, setChosen] = useState(0);
  const choice = offered[Math.min(chosen, offered.length - 1)];
  return (
    <div className={form.actions} data-testid="recap-exclude">
      <label className={form.muted} htmlFor={id}>
        Not you?
      </label>
      <select
        id={id}
        className={form.input}
        style={{ width: "auto", maxWidth: "100%" }}
        value={chosen}
        onChange={(event) => setChosen(Number(event.target.value))}
      >
        {offered.map((option, index) => (
          <option key={option.label} value={index}>
            {option.label}
          </option>
        ))}
      </select>
      <ExcludeButton key={choice.label} rule={choice.rule} what={choice.what} label="Exclude" />
    </div>
  );
}
