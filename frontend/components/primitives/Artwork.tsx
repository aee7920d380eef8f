"use client";

import Image from "next/image";
import { useState } from "react";
import styles from "./Artwork.module.css";

interface ArtworkProps {
  /** Album art; when absent or broken, a tile coloured from the name stands in. */
  src: string | null;
  name: string;
  round?: boolean;
  /** Its side in pixels (44, a list row's, unless told). */
  size?: number;
}

const ROW_SIZE = 44;

function hue(text: string): number {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.codePointAt(0)!) % 360;
  return hash;
}

export default function Artwork({ src, name, round, size = ROW_SIZE }: ArtworkProps) {
  const [failed, setFailed] = useState(false);
  const shape = round ? `${styles.art} ${styles.round}` : styles.art;
  const sized = size === ROW_SIZE ? undefined : { width: size, height: size, fontSize: size * 0.4 };
  if (src && !failed) {
    // A plain <img> in the end: the static export turns image optimisation off (next.config.ts).
    return (
      <Image className={shape} style={sized} src={src} alt="" width={size} height={size} onError={() => setFailed(true)} />
    );
  }
  const h = hue(name);
  return (
    <span
      className={`${shape} ${styles.placeholder}`}
      style={{ ...sized, background: `linear-gradient(135deg, hsl(${h} 65% 45%), hsl(${(h + 50) % 360} 70% 28%))` }}
      aria-hidden="true"
    >
      {name.trim().charAt(0).toUpperCase()}
    </span>
  );
}
