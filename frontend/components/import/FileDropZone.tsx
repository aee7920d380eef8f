"use client";

import { useState, type DragEvent } from "react";
import { formatBytes } from "@/lib/format";
import { ACCEPTED_SUFFIXES, MAX_UPLOAD_BYTES } from "@/lib/generated/upload-limits";
import styles from "./FileDropZone.module.css";

interface FileDropZoneProps {
  file: File | null;
  disabled: boolean;
  onChoose: (file: File) => void;
}

/** A file picker that also takes a file dropped on it. */
export default function FileDropZone({ file, disabled, onChoose }: FileDropZoneProps) {
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent<HTMLLabelElement>) => {
    event.preventDefault();
    setOver(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped && !disabled) onChoose(dropped);
  };
  const classes = [styles.zone, over && styles.over, disabled && styles.disabled].filter(Boolean).join(" ");
  return (
    <label
      className={classes}
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <input
        type="file"
        accept={ACCEPTED_SUFFIXES.join(",")}
        className={styles.input}
        disabled={disabled}
        data-testid="import-file"
        onChange={(event) => {
          const chosen = event.target.files?.[0];
          if (chosen) onChoose(chosen);
          event.target.value = ""; // choosing the same file again still counts
        }}
      />
      <svg className={styles.icon} viewBox="0 0 24 24" aria-hidden="true">
        <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
        <path d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      </svg>
      {file ? (
        <span className={styles.chosen}>
          <span>
            <strong>{file.name}</strong> · {formatBytes(file.size)}
          </span>
          {!disabled && <span className={styles.hint}>Choose another file, or drop one here</span>}
        </span>
      ) : (
        <span className={styles.prompt}>
          <strong>Choose my_spotify_data.zip</strong> or drop it here
          <span className={styles.hint}>
            {ACCEPTED_SUFFIXES.join(" or ")}, up to {formatBytes(MAX_UPLOAD_BYTES)}
          </span>
        </span>
      )}
    </label>
  );
}
