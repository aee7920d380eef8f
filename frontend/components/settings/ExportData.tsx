"use client";

import { type MouseEvent, useEffect, useId, useRef, useState } from "react";
import Panel from "@/components/primitives/Panel";
import { getExportStatus, saveFile, startPlaysExport } from "@/lib/exports";
import styles from "./ExportData.module.css";

type PlaysFormat = "csv" | "parquet";

const FORMATS: Record<PlaysFormat, string> = { csv: "CSV", parquet: "Parquet" };
const POLL_MS = 2_000;

/** Where a plays export the page asked for stands. */
type Progress =
  | { state: "idle" }
  | { state: "preparing" }
  | { state: "ready"; url: string; fileName: string }
  | { state: "failed"; message: string };

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
 * and exclusion rules as JSON. The plays link asks first: locally the API answers the file,
 * which is saved; on AWS it answers 202 while an export function writes the file, and the
 * page shows "Preparing…", asks for its status every two seconds and, once it is ready,
 * follows the five-minute link to it (also offered, should the download not start).
 * Without script the links are plain downloads.
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
  const [progress, setProgress] = useState<Progress>({ state: "idle" });
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false; // stops the polling
    };
  }, []);
  const preparing = progress.state === "preparing";

  async function exportPlays(event: MouseEvent<HTMLAnchorElement>) {
    event.preventDefault();
    if (backwards || preparing) return;
    setProgress({ state: "preparing" });
    try {
      const started = await startPlaysExport(href);
      if (started.kind === "file") {
        saveFile(started.file, started.fileName);
        if (mounted.current) setProgress({ state: "idle" });
        return;
      }
      let status = started.status;
      while (status.state === "pending") {
        await wait(POLL_MS);
        if (!mounted.current) return;
        status = await getExportStatus(status.status_url);
      }
      if (!mounted.current) return;
      if (status.state === "ready" && status.url) {
        setProgress({ state: "ready", url: status.url, fileName: status.file_name });
        window.location.assign(status.url);
      } else {
        setProgress({ state: "failed", message: status.message ?? "The export failed. Try again." });
      }
    } catch (error) {
      if (mounted.current) setProgress({ state: "failed", message: (error as Error).message });
    }
  }

  let note = "Days are cut in your time zone. An open end takes everything on that side.";
  if (backwards) note = "The last day is before the first.";
  else if (preparing) note = "Preparing your export…";
  else if (progress.state === "ready") note = `Your export is ready: ${progress.fileName}.`;
  else if (progress.state === "failed") note = progress.message;
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
            aria-disabled={backwards || preparing}
            download
            onClick={exportPlays}
            data-testid="export-plays"
          >
            Download plays ({FORMATS[format]})
          </a>
          <a className={styles.link} href="/api/v1/exports/settings.json" download data-testid="export-settings">
            Download settings (JSON)
          </a>
        </div>
        <p className={styles.note} role="status">
          {note}
        </p>
        {progress.state === "ready" && (
          <p className={styles.note}>
            Did the download not start?{" "}
            <a href={progress.url} download={progress.fileName} data-testid="export-ready-link">
              Download {progress.fileName}
            </a>{" "}
            (the link works for five minutes).
          </p>
        )}
      </div>
    </Panel>
  );
}
