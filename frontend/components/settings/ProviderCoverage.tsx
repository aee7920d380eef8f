"use client";

import { useState } from "react";
import { formatInt, formatPercent } from "@/lib/format";
import { getProviderCoverage, refetchProvider, type KindCoverage, type ProviderKind } from "@/lib/genres";
import { useApi } from "@/lib/useApi";
import Panel from "@/components/primitives/Panel";
import Loaded from "@/components/states/Loaded";
import styles from "./ProviderCoverage.module.css";

const KINDS: Record<ProviderKind, { title: string; items: string; what: string }> = {
  features: { title: "Track features", items: "tracks", what: "audio features" },
  genres: { title: "Genres", items: "artists", what: "a genre" },
  artwork: { title: "Album artwork", items: "albums", what: "a cover" },
};

const PROVIDER_NAMES: Record<string, string> = {
  spotify: "Spotify",
  musicbrainz: "MusicBrainz",
  coverartarchive: "Cover Art Archive",
  reccobeats: "ReccoBeats",
  sample: "Demo sample",
};

/** What a refetch answered, or why it failed. */
type Outcome = { queued: number } | { error: string };

function FetchAgain({ coverage }: { coverage: KindCoverage }) {
  const [pending, setPending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const { items } = KINDS[coverage.kind];
  const fetchAgain = () => {
    setPending(true);
    refetchProvider(coverage.kind).then(
      ({ queued }) => setOutcome({ queued }),
      (error: unknown) => setOutcome({ error: error instanceof Error ? error.message : String(error) }),
    ).finally(() => setPending(false));
  };
  return (
    <div className={styles.refetch}>
      <button
        type="button"
        className={styles.button}
        onClick={fetchAgain}
        disabled={pending || coverage.unknown === 0}
        data-testid={`refetch-${coverage.kind}`}
      >
        {pending ? "Queuing…" : "Fetch again"}
      </button>
      <span className={styles.outcome} role="status" data-testid={`refetch-${coverage.kind}-outcome`}>
        {outcome === null
          ? coverage.unknown === 0
            ? `No ${items} to ask about again.`
            : ""
          : "error" in outcome
            ? `Could not queue them: ${outcome.error}`
            : outcome.queued === 0
              ? "Nothing new to queue: they are already asked about on the next run."
              : `${formatInt(outcome.queued)} ${items} will be asked about again on the next run.`}
      </span>
    </div>
  );
}

function KindRow({ coverage }: { coverage: KindCoverage }) {
  const { title, items, what } = KINDS[coverage.kind];
  return (
    <li className={styles.kind} data-testid={`coverage-${coverage.kind}`}>
      <div className={styles.head}>
        <h3 className={styles.title}>{title}</h3>
        <span className={styles.share} data-testid="coverage-share">
          {formatPercent(coverage.share_of_time)} <span>of your music time</span>
        </span>
      </div>
      <div className={styles.bar} aria-hidden="true">
        <div style={{ width: `${Math.min(1, coverage.share_of_time) * 100}%` }} />
      </div>
      <p className={styles.counts} data-testid="coverage-counts">
        {formatInt(coverage.known)} of {formatInt(coverage.items)} {items} you played have {what}
        {coverage.by_provider.length > 0 &&
          ` (${coverage.by_provider
            .map(({ provider, items: count }) => `${PROVIDER_NAMES[provider] ?? provider} ${formatInt(count)}`)
            .join(", ")})`}
        . {formatInt(coverage.unknown)} no provider knew; {formatInt(coverage.not_asked)} not asked yet.
      </p>
      <FetchAgain coverage={coverage} />
    </li>
  );
}

/**
 * What the providers know of your music, kind by kind, and "Fetch again" for what they did
 * not: the items are asked about on the next enrich run instead of after their wait.
 */
export default function ProviderCoverage() {
  const coverage = useApi(getProviderCoverage);
  return (
    <Panel
      title="Providers’ coverage"
      subtitle="Over everything you ever played. Coverage is the share of your music listening time whose tracks have the data."
      testId="provider-coverage"
    >
      <Loaded state={coverage} loadingLabel="Loading the providers’ coverage…">
        {({ kinds }) => (
          <ul className={styles.kinds}>
            {kinds.map((kind) => (
              <KindRow key={kind.kind} coverage={kind} />
            ))}
          </ul>
        )}
      </Loaded>
    </Panel>
  );
}
