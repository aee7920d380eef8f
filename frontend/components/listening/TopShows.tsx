import type { TopMeasure } from "@/lib/api";
import { formatInt } from "@/lib/format";
import type { TopShow } from "@/lib/listening";
import { showHref } from "@/lib/links";
import Artwork from "@/components/primitives/Artwork";
import TopRow from "./TopRow";
import styles from "./TopList.module.css";

interface TopShowsProps {
  by: TopMeasure;
  items: TopShow[];
  /** What a show's parts are called: podcast episodes or audiobook chapters. */
  parts: { one: string; many: string };
  testId: string;
}

/** Podcast shows or audiobooks, each linking to its page by name. */
export default function TopShows({ by, items, parts, testId }: TopShowsProps) {
  return (
    <ol className={styles.list} data-testid={testId} data-by={by}>
      {items.map((show) => (
        <TopRow
          key={show.name}
          testId="top-show-row"
          rank={show.rank}
          art={<Artwork src={null} name={show.name} />}
          name={show.name}
          href={showHref(show.name)}
          meta={`${formatInt(show.episodes_played)} ${show.episodes_played === 1 ? parts.one : parts.many} played`}
          item={show}
          items={items}
          by={by}
        />
      ))}
    </ol>
  );
}
