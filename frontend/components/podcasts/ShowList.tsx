import EntityLink from "@/components/primitives/EntityLink";
import { formatDuration, formatInt } from "@/lib/format";
import { showHref } from "@/lib/links";
import type { ShowGroup } from "@/lib/playback";
import BarList from "@/components/charts/BarList";

/** Shows (or audiobooks) by listening time, each linking to its page, with what was finished. */
export default function ShowList({ group, unit, testId }: { group: ShowGroup; unit: string; testId: string }) {
  const most = group.items[0]?.listening_ms ?? 0;
  return (
    <BarList
      testId={testId}
      rows={group.items.map((show) => ({
        key: show.name,
        rank: show.rank,
        label: (
          <EntityLink href={showHref(show.name)} title={show.name}>
            {show.name}
          </EntityLink>
        ),
        value: formatDuration(show.listening_ms),
        ratio: most > 0 ? show.listening_ms / most : 0,
        meta: (
          <span data-testid="show-finished">
            {formatInt(show.finished)} of {formatInt(show.started)} {unit} finished · {formatInt(show.plays)} plays
          </span>
        ),
      }))}
    />
  );
}
