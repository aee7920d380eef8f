import type {
  FileRecords,
  ImportedFile,
  ImportedFileState,
  ImportState,
  ImportStatus,
  PlaySource,
  Superseded,
  TakenAs,
} from "@/lib/api";
import { localDay } from "@/lib/dates";
import { formatDate, formatInt } from "@/lib/format";
import { useTimeZone } from "@/lib/session";
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

const TAKEN_AS: Record<TakenAs, string> = {
  extended_audio: "Extended history, audio",
  extended_video: "Extended history, video",
  extended_unknown: "Extended history, audio or video (its name does not say)",
  account_music: "Account data, music",
  account_podcast: "Account data, podcasts",
};

const SOURCES: Record<PlaySource, string> = {
  export: "extended history",
  account: "account data",
  api: "Spotify’s recent plays",
};

/** The record counts, in the order they add up to what was read. */
const COUNTS: { key: Exclude<keyof FileRecords, "superseded_by" | "rejected_reasons">; label: string }[] = [
  { key: "read", label: "Read" },
  { key: "new", label: "New" },
  { key: "already_stored", label: "Already stored" },
  { key: "superseded", label: "Superseded" },
  { key: "not_plays", label: "Not plays" },
  { key: "rejected", label: "Rejected" },
];

/** "superseded by extended history (audio) Aug 1, 2023 – Dec 31, 2023", days in the user's zone. */
function describeSuperseded(entry: Superseded, timeZone: string): string {
  const source = `${SOURCES[entry.source]}${entry.kind ? ` (${entry.kind})` : ""}`;
  const day = (moment: string) => formatDate(localDay(moment, timeZone));
  const span = entry.from && entry.to ? ` ${day(entry.from)} – ${day(entry.to)}` : "";
  const by = entry.by === "match" ? `the same plays in ${source}` : `${source}${span}`;
  return `superseded by ${by}${entry.file ? ` · ${entry.file}` : ""}`;
}

function RecordBreakdown({ records }: { records: FileRecords }) {
  const timeZone = useTimeZone();
  return (
    <div className={styles.breakdown}>
      <dl className={styles.counts} data-testid="import-file-records">
        {COUNTS.map(({ key, label }) => (
          <div key={key} className={records[key] === 0 ? `${styles.count} ${styles.zero}` : styles.count} data-count={key}>
            <dt>{label}</dt>
            <dd>{formatInt(records[key])}</dd>
          </div>
        ))}
      </dl>
      {(records.superseded_by.length > 0 || records.rejected_reasons.length > 0) && (
        <ul className={styles.details}>
          {records.superseded_by.map((entry, index) => (
            <li key={`superseded-${index}`} data-testid="import-superseded">
              {formatInt(entry.records)} {describeSuperseded(entry, timeZone)}
            </li>
          ))}
          {records.rejected_reasons.map(({ reason, records: count }) => (
            <li key={`rejected-${reason}`} data-testid="import-rejected">
              {formatInt(count)} rejected: {reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function FileRow({ file }: { file: ImportedFile }) {
  return (
    <li className={styles.file} data-testid="import-file-row" data-status={file.status}>
      <span className={`${styles.pill} ${styles[file.status]}`}>{FILE_LABELS[file.status]}</span>
      <span className={styles.name}>{file.name}</span>
      {file.taken_as && (
        <span className={styles.takenAs} data-testid="import-taken-as">
          {TAKEN_AS[file.taken_as]}
        </span>
      )}
      {file.reason && <span className={styles.reason}>{file.reason}</span>}
      {file.records && <RecordBreakdown records={file.records} />}
    </li>
  );
}

/** The import's state, followed every few seconds, and what became of each file and its records. */
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
            <FileRow key={`${file.name}-${index}`} file={file} />
          ))}
        </ul>
      )}
    </div>
  );
}
