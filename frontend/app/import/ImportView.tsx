"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { createImport, getImport, uploadFile, type ImportStatus } from "@/lib/api";
import { formatBytes } from "@/lib/format";
import { ACCEPTED_SUFFIXES, MAX_UPLOAD_BYTES } from "@/lib/generated/upload-limits";
import { HEADINGS } from "@/lib/headings";
import ExportHelp from "@/components/import/ExportHelp";
import FileDropZone from "@/components/import/FileDropZone";
import ImportProgress from "@/components/import/ImportProgress";
import PageHeading from "@/components/primitives/PageHeading";
import Panel from "@/components/primitives/Panel";
import styles from "./ImportView.module.css";

const POLL_MS = 2_000;
const POLL_FAILURES_SHOWN = 3; // a blip in the connection is not worth an error

export type Phase =
  /** Nothing sent yet: choose a file. */
  | { step: "choose" }
  /** Asking the API for an upload link, then sending the file. */
  | { step: "uploading"; progress: number }
  /** The file is in; the import's status is followed until it ends. */
  | { step: "following"; statusUrl: string; status: ImportStatus | null }
  | { step: "failed"; error: string };

function checkFile(file: File): string | null {
  const name = file.name.toLowerCase();
  if (!ACCEPTED_SUFFIXES.some((suffix) => name.endsWith(suffix))) {
    const kinds = ACCEPTED_SUFFIXES.map((suffix) => `a ${suffix}`).join(" nor ");
    return `${file.name} is neither ${kinds} file: choose my_spotify_data.zip as Spotify sent it.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_UPLOAD_BYTES) {
    return `${file.name} is ${formatBytes(file.size)}; Moodify takes files up to ${formatBytes(MAX_UPLOAD_BYTES)}.`;
  }
  return null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The import page: how to get the export, then upload it and follow the import. */
export default function ImportView() {
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ step: "choose" });
  const aborter = useRef<AbortController | null>(null);

  const choose = useCallback((chosen: File) => {
    setFile(chosen);
    const refused = checkFile(chosen);
    setPhase(refused ? { step: "failed", error: refused } : { step: "choose" });
  }, []);

  const start = useCallback(async () => {
    if (!file) return;
    const controller = new AbortController();
    aborter.current = controller;
    setPhase({ step: "uploading", progress: 0 });
    try {
      const created = await createImport(file);
      await uploadFile(
        created.upload,
        file,
        (progress) => setPhase({ step: "uploading", progress }),
        controller.signal,
      );
      setPhase({ step: "following", statusUrl: created.status_url, status: null });
    } catch (error) {
      setPhase({ step: "failed", error: errorMessage(error) });
    } finally {
      aborter.current = null;
    }
  }, [file]);

  const reset = useCallback(() => {
    setFile(null);
    setPhase({ step: "choose" });
  }, []);

  // Leaving the page mid-upload loses the upload: ask first, and stop it if the page goes.
  const uploading = phase.step === "uploading";
  useEffect(() => {
    if (!uploading) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [uploading]);
  useEffect(() => () => aborter.current?.abort(), []);

  const statusUrl = phase.step === "following" ? phase.statusUrl : null;
  useEffect(() => {
    if (!statusUrl) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const poll = async () => {
      try {
        const status = await getImport(statusUrl);
        if (stopped) return;
        failures = 0;
        setPhase({ step: "following", statusUrl, status });
        if (status.status === "done" || status.status === "failed") return;
      } catch (error) {
        if (stopped) return;
        failures += 1;
        if (failures >= POLL_FAILURES_SHOWN) {
          setPhase({ step: "failed", error: errorMessage(error) });
          return;
        }
      }
      timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [statusUrl]);

  const busy = phase.step === "uploading" || (phase.step === "following" && !isOver(phase.status));
  return (
    <div className={styles.layout} data-testid="import-page">
      <PageHeading {...HEADINGS.import} />
      <div className={styles.columns}>
        <ExportHelp />
        <Panel title="Upload your export" subtitle="my_spotify_data.zip as Spotify sent it, or its JSON files one at a time">
          <div className={styles.upload}>
            <FileDropZone file={file} disabled={busy} onChoose={choose} />
            {phase.step === "choose" && file && (
              <button type="button" className={styles.primary} onClick={start}>
                Upload and import
              </button>
            )}
            {phase.step === "uploading" && <UploadBar progress={phase.progress} size={file?.size ?? 0} />}
            {phase.step === "following" && <ImportProgress status={phase.status} />}
            {phase.step === "failed" && <ImportFailure message={phase.error} />}
            {(phase.step === "failed" || (phase.step === "following" && isOver(phase.status))) && (
              <div className={styles.actions}>
                {phase.step === "following" && phase.status?.status === "done" && (
                  // A full page load, not a <Link>: answers are kept for the life of the page,
                  // and the overview and the footer must show the plays just imported.
                  // eslint-disable-next-line @next/next/no-html-link-for-pages
                  <a className={styles.primary} href="/">
                    See your listening
                  </a>
                )}
                <button type="button" className={styles.secondary} onClick={reset}>
                  Import another file
                </button>
              </div>
            )}
          </div>
        </Panel>
      </div>
    </div>
  );
}

function isOver(status: ImportStatus | null): boolean {
  return status?.status === "done" || status?.status === "failed";
}

function UploadBar({ progress, size }: { progress: number; size: number }) {
  const percent = Math.round(progress * 100);
  return (
    <div className={styles.progress}>
      <div
        className={styles.track}
        role="progressbar"
        aria-label="Upload progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid="import-progress"
      >
        <div className={styles.bar} style={{ width: `${percent}%` }} />
      </div>
      <p className={styles.progressText}>
        Uploading… {percent}%{size > 0 && ` · ${formatBytes(size * progress)} of ${formatBytes(size)}`}
        <span className={styles.note}> Keep this page open until the upload ends.</span>
      </p>
    </div>
  );
}

function ImportFailure({ message }: { message: string }) {
  return (
    <div className={styles.failure} role="alert" data-testid="import-status" data-status="error">
      <p className={styles.failureTitle}>The file could not be imported</p>
      <p className={styles.failureMessage}>{message}</p>
    </div>
  );
}
