import EntityLink from "@/components/primitives/EntityLink";
import type { ReactNode } from "react";
import type { TopMeasure } from "@/lib/api";
import { Meter, RankedFigures, type Measured } from "./TopMeasure";
import styles from "./TopList.module.css";

interface TopRowProps {
  rank: number;
  /** The row's artwork (an `Artwork`). */
  art: ReactNode;
  name: string;
  /** The page of what the row names. */
  href: string;
  /** A second line: artists, album, counts. */
  meta?: ReactNode;
  metaTitle?: string;
  item: Measured;
  /** Every row of the list, for the length of the meter. */
  items: Measured[];
  by: TopMeasure;
  testId: string;
}

/** One row of a top list: rank, artwork, its name linking to its page, its figures. */
export default function TopRow({ rank, art, name, href, meta, metaTitle, item, items, by, testId }: TopRowProps) {
  return (
    <li className={styles.row} data-testid={testId}>
      <span className={styles.rank}>{rank}</span>
      {art}
      <span className={styles.main}>
        <EntityLink className={styles.name} href={href} data-testid="top-name" title={name}>
          {name}
        </EntityLink>
        {meta && (
          <span className={styles.meta} title={metaTitle}>
            {meta}
          </span>
        )}
      </span>
      <RankedFigures item={item} by={by} />
      <Meter item={item} items={items} by={by} />
    </li>
  );
}
