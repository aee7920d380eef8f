"use client";

import { useState, type RefObject } from "react";
import styles from "./RecapControls.module.css";

interface DownloadPngButtonProps {
  /** The element drawn into the image. */
  target: RefObject<HTMLElement | null>;
  fileName: string;
}

/** Draws `target` into a PNG (twice the screen's pixels) and downloads it as `fileName`. */
export default function DownloadPngButton({ target, fileName }: DownloadPngButtonProps) {
  const [state, setState] = useState<"idle" | "drawing" | "failed">("idle");

  const download = async () => {
    const node = target.current;
    if (!node) return;
    setState("drawing");
    try {
      // Loaded on the first click only: no page load pays for it.
      const { toBlob } = await import("html-to-image");
      const blob = await toBlob(node, { pixelRatio: 2 });
      if (!blob) throw new Error("no image was drawn");
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      link.click();
      // The download has taken the blob by then; revoking at once can cancel it.
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState("idle");
    } catch {
      setState("failed");
    }
  };

  return (
    <div className={styles.download}>
      <button
        type="button"
        className={styles.downloadButton}
        onClick={download}
        disabled={state === "drawing"}
        data-testid="download-png"
      >
        {state === "drawing" ? "Drawing the image…" : "Download as PNG"}
      </button>
      {state === "failed" && (
        <p className={styles.failed} role="alert">
          The image could not be drawn. Try again.
        </p>
      )}
    </div>
  );
}
