"use client";

import Image from "next/image";
import { useState } from "react";
import styles from "./Artwork.module.css";

interface ArtworkProps {
  /** Album art; when absent or broken, a tile coloured from the name stands in. */
  src: string | null;
  name: string;
  round?: boolean;
}

function hue(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.codePointAt(0)!) % 360;
  return hash;
}

export default function Artwork({ src, name, round }: ArtworkProps) {
  const [failed, setFailed] = useState(false);
  const shape = round ? `${styles.art} ${styles.round}` : styles.art;
  if (src && !failed) {
    // A plain <img> in the end: the static export turns image optimisation off (next.config.ts).
    return <Image className={shape} src={src} alt="" width={44} height={44} onError={() => setFailed(true)} />;
  }
  const h = hue(name);
  return (
    <span
      className={`${shape} ${styles.placeholder}`}
      style={{ background: `linear-gradient(135deg, hsl(${h} 65% 45%), hsl(${(h + 50) % 360} 70% 28%))` }}
      aria-hidden="true"
    >
      {name.trim().charAt(0).toUpperCase()}
    </span>
  );
}
