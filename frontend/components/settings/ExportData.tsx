"use client";

import { useId, useState } from "react";
import Panel from "@/components/primitives/Panel";
import styles from "./ExportData.module.css";

type PlaysFormat = "csv" | "parquet";

const FORMATS: Record<PlaysFormat, string> = { csv: "CSV", parquet: "Parquet" };

/** The export's URL: every play, or those of the inclusive local days `from`..`to`. */
export function playsExportUrl(format: PlaysFormat, from: string, to: string): string {
  const params = new URLSearchParams();
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  const query = params.toString();
  return `/api/v1/exports/plays.${format}${query ? `?${query}` : ""}`;
}

/**
 * Your data back: the plays (all, or a range of days) as CSV or Parquet, and the settings
 * and exclusion rules as JSON. Each is a plain link: locally the API answers the file, on
 * AWS a redirect to a five-minute link to it in the lake, which the browser follows as it
 * does any download.
 */
export default function ExportData() {
  const id = useId();
  const [format, setFormat] = useState<PlaysFormat>("csv");
  const [range, setRange] = useState<"all" | "range">("all");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const inRange = range === "range";
  const backwards = inRange && from !== "" && to !== "" && to < from;
  const href = playsExportUrl(format, inRange ? from : "", inRange ? to : "");
  return (
    <Panel
      title="Export your data"
      subtitle="Every play Moodify stores (excluded ones too, flagged), with the columns the README documents."
      testId="export-data"
    >
      <div className={styles.form}>
        <fieldset className={styles.choices}>
          <legend>Format</legend>
          {(Object.keys(FORMATS) as PlaysFormat[]).map((value) => (
            <label key={value}>
              <input
                type="radio"
                name={`${id}-format`}
                value={value}
                checked={format === value}
                onChange={() => setFormat(value)}
              />
              {FORMATS[value]}
            </label>
          ))}
        </fieldset>
        <fieldset className={styles.choices}>
          <legend>Plays</legend>
          <label>
            <input type="radio" name={`${id}-range`} checked={!inRange} onChange={() => setRange("all")} />
            All of them
          </label>
          <label>
            <input type="radio" name={`${id}-range`} checked={inRange} onChange={() => setRange("range")} />
            A range of days
          </label>
        </fieldset>
        {inRange && (
          <div className={styles.dates}>
            <label>
              From (first day)
              <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label>
              To (last day)
              <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
            </label>
          </div>
        )}
        <div className={styles.actions}>
          <a
            className={styles.link}
            href={backwards ? undefined : href}
            aria-disabled={backwards}
            download
            data-testid="export-plays"
          >
            Download plays ({FORMATS[format]})
          </a>
          <a className={styles.link} href="/api/v1/exports/settings.json" download data-testid="export-settings">
            Download settings (JSON)
          </a>
        </div>
        <p className={styles.note} role="status">
          {backwards
            ? "The last day is before the first."
            : "Days are cut in your time zone. An open end takes everything on that side."}
        </p>
      </div>
    </Panel>
  );
}
