import type { ImportedFileState, ImportState, ImportStatus } from "@/lib/api";
import styles from "./ImportProgress.module.css";

const HEADLINES: Record<ImportState, string> = {
  // The file is in the lake; the unpacking starts from its event within seconds.
  waiting_for_upload: "Upload received — about to unpack it…",
  unpacking: "Unpacking your export…",
  processing: "Importing your listening history…",
  done: "Import finished",
  failed: "The import failed",
};

const FILE_LABELS: Record<ImportedFileState, string> = {
  imported: "Imported",
  quarantined: "Set aside",
  ignored: "Ignored",
};

/** The import's state, followed every few seconds, and what became of each file. */
export default function ImportProgress({ status }: { status: ImportStatus | null }) {
  const state = status?.status ?? "waiting_for_upload";
  const running = state !== "done" && state !== "failed";
  return (
    <div className={styles.progress}>
      <div
        className={`${styles.status} ${styles[state]}`}
        role="status"
        aria-live="polite"
        data-testid="import-status"
        data-status={state}
      >
        {running && <span className={styles.spinner} aria-hidden="true" />}
        <div>
          <p className={styles.headline}>{HEADLINES[state]}</p>
          {status?.message && <p className={styles.message}>{status.message}</p>}
          {state === "done" && (
            <p className={styles.message}>The dashboard shows the new plays as soon as the warehouse has them.</p>
          )}
        </div>
      </div>
      {status && status.files.length > 0 && (
        <ul className={styles.files}>
          {status.files.map((file, index) => (
            <li key={`${file.name}-${index}`} className={styles.file} data-testid="import-file-row" data-status={file.status}>
              <span className={`${styles.pill} ${styles[file.status]}`}>{FILE_LABELS[file.status]}</span>
              <span className={styles.name}>{file.name}</span>
              {file.reason && <span className={styles.reason}>{file.reason}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
