import { formatDuration, formatInt, formatPercent } from "@/lib/format";
import type { Devices, KnownShare, Skips } from "@/lib/playback";
import StatCard from "@/components/primitives/StatCard";
import StatGrid from "@/components/primitives/StatGrid";

const NOT_SAID = "No source says";

function knownHint(share: KnownShare, what: string): string {
  if (share.known_ms === 0) return NOT_SAID;
  return `${formatDuration(share.listening_ms)} ${what}`;
}

/** The range's headline figures: skip rate, shuffle and offline shares, the main platform. */
export default function PlaybackCards({ skips, devices }: { skips: Skips; devices: Devices }) {
  const { overall } = skips;
  const platform = devices.families.find((family) => family.family !== "Unknown");
  return (
    <StatGrid testId="playback-cards">
      <StatCard
        testId="card-skip-rate"
        label="Skip rate"
        value={overall.skip_rate === null ? "–" : formatPercent(overall.skip_rate)}
        hint={overall.skip_known === 0 ? NOT_SAID : `${formatInt(overall.skips)} plays skipped`}
        highlight
      />
      <StatCard
        testId="card-shuffle"
        label="On shuffle"
        value={devices.shuffle.share === null ? "–" : formatPercent(devices.shuffle.share)}
        hint={knownHint(devices.shuffle, "shuffled")}
      />
      <StatCard
        testId="card-offline"
        label="Offline"
        value={devices.offline.share === null ? "–" : formatPercent(devices.offline.share)}
        hint={knownHint(devices.offline, "offline")}
      />
      <StatCard
        testId="card-platform"
        label="Most played on"
        value={platform ? platform.family : "–"}
        hint={platform ? `${formatPercent(platform.share)} of listening time` : NOT_SAID}
        long
      />
    </StatGrid>
  );
}
