"use client";

import Link from "next/link";
import { useCallback, useState } from "react";
import type { DateRange } from "@/lib/api";
import { formatDuration, formatInt, formatPercent } from "@/lib/format";
import { getDevices, getSkips, type Devices, type SkipsBy } from "@/lib/playback";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import { HEADINGS } from "@/lib/headings";
import BarList from "@/components/charts/BarList";
import RangedPage from "@/components/layout/RangedPage";
import PlaybackCards from "@/components/playback/PlaybackCards";
import SkipList from "@/components/playback/SkipList";
import Panel from "@/components/primitives/Panel";
import SegmentedControl from "@/components/primitives/SegmentedControl";
import EmptyState from "@/components/states/EmptyState";
import HistoryGate from "@/components/states/HistoryGate";
import Loaded from "@/components/states/Loaded";
import NothingInRange from "@/components/states/NothingInRange";
import styles from "./PlaybackView.module.css";

const SKIPS_BY: { value: SkipsBy; label: string }[] = [
  { value: "track", label: "Tracks" },
  { value: "artist", label: "Artists" },
];
const MIN_PLAYS = ["5", "20", "50"] as const;
const DEVICES_SHOWN = 8;

export default function PlaybackView() {
  return (
    <RangedPage {...HEADINGS.playback}>
      {(range, onRangeChange) => (
        <HistoryGate loadingLabel="Loading how you play…">
          <Playback range={range} onShowAll={() => onRangeChange({})} />
        </HistoryGate>
      )}
    </RangedPage>
  );
}

/** Devices and skips say nothing when every play came from the Web API, which does not tell. */
function onlyWebApi(devices: Devices, skipKnown: number): boolean {
  return skipKnown === 0 && devices.families.every((family) => family.family === "Unknown");
}

function Playback({ range, onShowAll }: { range: DateRange; onShowAll: () => void }) {
  const [query, setQuery] = useQuery();
  const by: SkipsBy = query.get("skips_by") === "artist" ? "artist" : "track";
  const minPlays = MIN_PLAYS.find((value) => value === query.get("min_plays")) ?? MIN_PLAYS[0];
  const devices = useApi(useCallback(() => getDevices(range), [range]));
  const skips = useApi(useCallback(() => getSkips(range, by, Number(minPlays)), [range, by, minPlays]));

  return (
    <Loaded state={devices} loadingLabel="Loading how you play…">
      {(answer) =>
        answer.plays === 0 ? (
          <NothingInRange what="plays" onShowAll={onShowAll} />
        ) : (
          <Loaded state={skips}>
            {(skipped) =>
              onlyWebApi(answer, skipped.overall.skip_known) ? (
                <ImportForDetails />
              ) : (
                <div className={styles.layout}>
                  <PlaybackCards skips={skipped} devices={answer} />
                  <div className={styles.columns}>
                    <Panel title="Platforms" subtitle="Share of listening time" testId="panel-platforms">
                      <BarList
                        testId="families"
                        rows={answer.families.map((family) => ({
                          key: family.family,
                          label: family.family,
                          value: formatPercent(family.share),
                          ratio: family.share,
                          meta: `${formatDuration(family.listening_ms)} · ${formatInt(family.plays)} plays`,
                        }))}
                      />
                    </Panel>
                    <Panel title="Devices" subtitle="The same phone on a newer system counts once" testId="panel-devices">
                      <DeviceList devices={answer} />
                    </Panel>
                  </div>
                  <Panel
                    title="Most skipped"
                    subtitle={`Highest skip rate, of ${by}s with at least ${minPlays} plays`}
                    testId="panel-skipped"
                    actions={
                      <div className={styles.controls}>
                        <SegmentedControl
                          label="Skips of"
                          segments={SKIPS_BY}
                          value={by}
                          onChange={(value) => setQuery({ skips_by: value === "track" ? undefined : value })}
                          testId="skips-by"
                        />
                        <SegmentedControl
                          label="At least this many plays"
                          segments={MIN_PLAYS.map((value) => ({ value, label: `${value}+ plays` }))}
                          value={minPlays}
                          onChange={(value) => setQuery({ min_plays: value === MIN_PLAYS[0] ? undefined : value })}
                          testId="skips-min-plays"
                        />
                      </div>
                    }
                  >
                    {skipped.items.length > 0 ? (
                      <SkipList {...skipped} />
                    ) : (
                      <p className={styles.note} data-testid="skipped-none">
                        No {by} has {minPlays} plays with a known skip status in this range: pick fewer plays or a
                        wider range.
                      </p>
                    )}
                    <UnknownSkips plays={skipped.overall.plays} known={skipped.overall.skip_known} />
                  </Panel>
                </div>
              )
            }
          </Loaded>
        )
      }
    </Loaded>
  );
}

function DeviceList({ devices }: { devices: Devices }) {
  const [all, setAll] = useState(false);
  const shown = all ? devices.devices : devices.devices.slice(0, DEVICES_SHOWN);
  return (
    <>
      <BarList
        testId="devices"
        rows={shown.map((device) => ({
          key: device.device,
          label: device.device,
          value: formatPercent(device.share),
          ratio: device.share,
          meta:
            device.device === device.family
              ? formatDuration(device.listening_ms)
              : `${device.family} · ${formatDuration(device.listening_ms)}`,
        }))}
      />
      {devices.devices.length > DEVICES_SHOWN && (
        <button type="button" className={styles.more} onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? "Show fewer" : `Show all ${devices.devices.length} devices`}
        </button>
      )}
    </>
  );
}

/** Plays the rates leave out, said once, so a rate is never read as covering them. */
function UnknownSkips({ plays, known }: { plays: number; known: number }) {
  if (plays === known) return null;
  return (
    <p className={styles.note} data-testid="unknown-skips">
      {formatInt(plays - known)} of {formatInt(plays)} plays came from the Spotify Web API, which doesn’t say whether a
      song was skipped: no rate counts them.
    </p>
  );
}

function ImportForDetails() {
  return (
    <EmptyState title="Your extended streaming history has these details: import it">
      <p data-testid="import-for-details">
        Spotify’s Web API tells Moodify what you played, not how. Skips, devices, shuffle and offline listening come
        from the extended streaming history: request it from Spotify and{" "}
        <Link href="/import/">upload it on the Import page</Link>.
      </p>
    </EmptyState>
  );
}
