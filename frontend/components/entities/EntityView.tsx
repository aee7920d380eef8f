"use client";

import Link from "next/link";
import { useCallback, useEffect, type ReactNode } from "react";
import type { DateRange, TopMeasure } from "@/lib/api";
import { rangeProblem } from "@/lib/dates";
import { ENTITY_LOADERS, type Entity, type EntityKind, type EntityLoader } from "@/lib/entities";
import { useApi } from "@/lib/useApi";
import { useQuery, useQueryRange } from "@/lib/useQuery";
import DateRangePicker from "@/components/primitives/DateRangePicker";
import EmptyState from "@/components/states/EmptyState";
import HistoryGate from "@/components/states/HistoryGate";
import Loaded from "@/components/states/Loaded";
import RangeProblem from "@/components/states/RangeProblem";

/** What a page passes down besides its entity: the range and the top list's measure. */
export interface EntityPageControls {
  range: DateRange;
  by: TopMeasure;
  /** The range picker, for the page's header. */
  rangePicker: ReactNode;
  onByChange: (by: TopMeasure) => void;
  onRangeChange: (range: DateRange) => void;
}

const KEY: Record<EntityKind, "id" | "name"> = { track: "id", artist: "id", album: "id", show: "name" };
const NOUN: Record<EntityKind, string> = { track: "track", artist: "artist", album: "album", show: "show" };

interface EntityViewProps<T extends Entity> {
  kind: EntityKind;
  load: EntityLoader<T>;
  children: (entity: T, controls: EntityPageControls) => ReactNode;
}

/** The entity, range and measure the page's address asks for. */
function useEntityAddress(kind: EntityKind) {
  const [query, setQuery] = useQuery();
  const key = query.get(KEY[kind]) ?? "";
  const [range, onRangeChange] = useQueryRange();
  const by: TopMeasure = query.get("by") === "listening_time" ? "listening_time" : "plays";
  return { key, range, by, setQuery, onRangeChange };
}

/**
 * Asks for the page's entity at once, beside /me, instead of once /me has let the page
 * through: the page's own request then finds the answer on its way (`getJson` shares it).
 * A 401 here shows the sign-in screen as any other would.
 */
export function EntityRequest({ kind }: { kind: EntityKind }) {
  const { key, range, by } = useEntityAddress(kind);
  useEffect(() => {
    // The page itself reports a failure, when it asks again.
    if (key && !rangeProblem(range)) ENTITY_LOADERS[kind](key, range, by).catch(() => undefined);
  }, [kind, key, range, by]);
  return null;
}

/**
 * An entity page's frame: reads the entity and the range from the address, loads it, and
 * answers a missing or unknown entity, or an impossible range, with a state that says why.
 */
export default function EntityView<T extends Entity>({ kind, load, children }: EntityViewProps<T>) {
  const { key, range, by, setQuery, onRangeChange } = useEntityAddress(kind);

  if (!key) {
    return (
      <EmptyState title={`No ${NOUN[kind]} chosen`}>
        <p>
          Pick one from your tops on the <Link href="/">Overview</Link> or the <Link href="/listening/">Listening</Link>{" "}
          page.
        </p>
      </EmptyState>
    );
  }
  const problem = rangeProblem(range);
  if (problem) return <RangeProblem range={range} problem={problem} onRangeChange={onRangeChange} />;
  const controls: EntityPageControls = {
    range,
    by,
    rangePicker: <DateRangePicker range={range} onChange={onRangeChange} />,
    onByChange: (next) => setQuery({ by: next === "plays" ? undefined : next }),
    onRangeChange,
  };
  return <LoadedEntity kind={kind} entityKey={key} load={load} controls={controls} render={children} />;
}

interface LoadedEntityProps<T extends Entity> {
  kind: EntityKind;
  entityKey: string;
  load: EntityLoader<T>;
  controls: EntityPageControls;
  render: (entity: T, controls: EntityPageControls) => ReactNode;
}

function LoadedEntity<T extends Entity>({ kind, entityKey, load, controls, render }: LoadedEntityProps<T>) {
  const { range, by } = controls;
  const lookup = useApi(useCallback(() => load(entityKey, range, by), [load, entityKey, range, by]));
  return (
    <Loaded state={lookup} loadingLabel={`Loading this ${NOUN[kind]}…`}>
      {(answer) => (answer.found ? render(answer.entity, controls) : <NotFound kind={kind} message={answer.message} />)}
    </Loaded>
  );
}

/** An unknown entity: on a fresh install, first of all a history to import. */
function NotFound({ kind, message }: { kind: EntityKind; message: string }) {
  return (
    <HistoryGate>
      <EmptyState title={`This ${NOUN[kind]} isn’t in your history`}>
        <p data-testid="not-found">{message}.</p>
        <p>
          Find what you listen to on the <Link href="/">Overview</Link> or the <Link href="/listening/">Listening</Link>{" "}
          page.
        </p>
      </EmptyState>
    </HistoryGate>
  );
}
