"use client";

import EntityLink from "@/components/primitives/EntityLink";
import { useCallback, useState } from "react";
import type { DateRange } from "@/lib/api";
import { formatDateTime, formatInt, formatPeriod } from "@/lib/format";
import { DISCOVERIES_PAGE, getDiscoveries, type DiscoveryKind, type DiscoveryMonth } from "@/lib/habits";
import { artistHref, trackHref } from "@/lib/links";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import ArtistLinks from "@/components/listening/ArtistLinks";
import Panel from "@/components/primitives/Panel";
import SegmentedControl from "@/components/primitives/SegmentedControl";
import StatCard from "@/components/primitives/StatCard";
import Loaded from "@/components/states/Loaded";
import styles from "./Habits.module.css";

const KINDS: { value: DiscoveryKind; label: string }[] = [
  { value: "track", label: "Tracks" },
  { value: "artist", label: "Artists" },
];

/** Tracks and artists first played in the range: per month, and the list of either. */
export default function DiscoveriesPanel({ range, timeZone }: { range: DateRange; timeZone: string }) {
  const [query, setQuery] = useQuery();
  const kind: DiscoveryKind = query.get("discover") === "artist" ? "artist" : "track";
  const [offset, setOffset] = useState(0);
  const discoveries = useApi(useCallback(() => getDiscoveries(range, kind, offset), [range, kind, offset]));
  const pick = (value: DiscoveryKind) => {
    setOffset(0);
    setQuery({ discover: value === "track" ? undefined : value });
  };
  return (
    <Panel
      title="Discoveries"
      subtitle="Tracks and artists you played for the first time ever"
      testId="panel-discoveries"
      actions={<SegmentedControl label="Discoveries of" segments={KINDS} value={kind} onChange={pick} testId="discover-kind" />}
    >
      <Loaded state={discoveries} loadingLabel="Loading your discoveries…">
        {(answer) =>
          answer.new_tracks + answer.new_artists === 0 ? (
            <p className={styles.note} data-testid="discoveries-none">
              Nothing new in this range: every track and artist you played here, you had heard before. Pick an earlier
              or wider range.
            </p>
          ) : (
            <>
              <div className={styles.cards}>
                <StatCard testId="card-new-tracks" label="New tracks" value={formatInt(answer.new_tracks)} highlight />
                <StatCard testId="card-new-artists" label="New artists" value={formatInt(answer.new_artists)} />
              </div>
              <DiscoveryMonths months={answer.months} />
              <ol className={`${styles.list} ${styles.wrap}`} start={answer.offset + 1} data-testid="discoveries">
                {answer.items.map((item) => (
                  <li key={item.item_id} className={styles.row} data-testid="discovery">
                    <span className={styles.main}>
                      <EntityLink
                        className={styles.name}
                        href={kind === "track" ? trackHref(item.item_id) : artistHref(item.item_id)}
                        title={item.name}
                        data-testid="discovery-name"
                      >
                        {item.name}
                      </EntityLink>
                      {item.artists.length > 0 && (
                        <span className={styles.meta}>
                          <ArtistLinks artists={item.artists} />
                        </span>
                      )}
                      <span className={styles.meta} data-testid="discovery-first">
                        First played {formatDateTime(item.first_played_at, timeZone)}
                      </span>
                    </span>
                    <span className={styles.figure} data-testid="discovery-plays">
                      {formatInt(item.plays)} {item.plays === 1 ? "play" : "plays"}
                    </span>
                  </li>
                ))}
              </ol>
              <div className={styles.pager}>
                <button
                  type="button"
                  className={styles.pageButton}
                  disabled={answer.offset === 0}
                  onClick={() => setOffset(Math.max(0, answer.offset - DISCOVERIES_PAGE))}
                >
                  Newer
                </button>
                <span className={styles.note} data-testid="discoveries-shown">
                  {formatInt(answer.offset + 1)}–{formatInt(answer.offset + answer.items.length)} of{" "}
                  {formatInt(answer.total)}
                </span>
                <button
                  type="button"
                  className={styles.pageButton}
                  disabled={answer.offset + answer.items.length >= answer.total}
                  onClick={() => setOffset(answer.offset + DISCOVERIES_PAGE)}
                  data-testid="discoveries-older"
                >
                  Older
                </button>
              </div>
            </>
          )
        }
      </Loaded>
    </Panel>
  );
}

/** New tracks and artists per month, as pairs of light bars (every month, zeros too). */
function DiscoveryMonths({ months }: { months: DiscoveryMonth[] }) {
  const most = Math.max(1, ...months.map((month) => Math.max(month.tracks, month.artists)));
  const height = (value: number) => `${(100 * value) / most}%`;
  return (
    <figure className={styles.months}>
      <ol className={styles.monthBars} data-testid="discovery-months">
        {months.map((month) => {
          const label = `${formatPeriod(month.month, "month")}: ${month.tracks} new tracks, ${month.artists} new artists`;
          return (
            <li key={month.month} className={styles.month} title={label} aria-label={label} data-testid="discovery-month">
              <span className={styles.trackBar} style={{ height: height(month.tracks) }} />
              <span className={styles.artistBar} style={{ height: height(month.artists) }} />
            </li>
          );
        })}
      </ol>
      <figcaption className={styles.monthAxis}>
        <span>{formatPeriod(months[0].month, "month")}</span>
        <span className={styles.legend}>
          <span className={styles.trackKey} aria-hidden="true" /> tracks
          <span className={styles.artistKey} aria-hidden="true" /> artists
        </span>
        <span>{formatPeriod(months[months.length - 1].month, "month")}</span>
      </figcaption>
    </figure>
  );
}
