import EntityLink from "@/components/primitives/EntityLink";
import { formatInt, formatPercent } from "@/lib/format";
import { artistHref, trackHref } from "@/lib/links";
import type { Skips } from "@/lib/playback";
import BarList from "@/components/charts/BarList";
import ArtistLinks from "@/components/listening/ArtistLinks";

/** The most skipped tracks or artists, each linking to its page, with its skip rate. */
export default function SkipList({ by, items }: Skips) {
  const href = by === "track" ? trackHref : artistHref;
  return (
    <BarList
      testId="skipped"
      rows={items.map((item) => ({
        key: item.id,
        rank: item.rank,
        label: (
          <EntityLink href={href(item.id)} title={item.name}>
            {item.name}
          </EntityLink>
        ),
        value: formatPercent(item.skip_rate ?? 0),
        ratio: item.skip_rate ?? 0,
        meta: (
          <>
            {item.artists.length > 0 && (
              <>
                <ArtistLinks artists={item.artists} />
                {" · "}
              </>
            )}
            <span data-testid="skip-counts">
              {formatInt(item.skips)} of {formatInt(item.skip_known)} plays skipped
            </span>
          </>
        ),
      }))}
    />
  );
}
