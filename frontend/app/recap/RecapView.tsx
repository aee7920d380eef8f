"use client";

import { useCallback, useMemo, useRef } from "react";
import { getSummary, type DateRange, type IsoDate } from "@/lib/api";
import { localDay, rangeProblem, yearsBetween } from "@/lib/dates";
import { describePeriod, getRecap, periodDays, recapFileName, type RecapPeriod } from "@/lib/recap";
import { useTimeZone } from "@/lib/session";
import { useApi } from "@/lib/useApi";
import { useQuery } from "@/lib/useQuery";
import { HEADINGS } from "@/lib/headings";
import PageHeading from "@/components/primitives/PageHeading";
import DownloadPngButton from "@/components/recap/DownloadPngButton";
import RecapExclude from "@/components/exclusions/RecapExclude";
import RecapCard from "@/components/recap/RecapCard";
import RecapPeriodPicker from "@/components/recap/RecapPeriodPicker";
import EmptyState from "@/components/states/EmptyState";
import Loaded from "@/components/states/Loaded";
import NoPlaysYet from "@/components/states/NoPlaysYet";
import RangeProblem from "@/components/states/RangeProblem";
import styles from "./RecapView.module.css";

export default function RecapView() {
  const timeZone = useTimeZone();
  const summary = useApi(getSummary);
  return (
    <>
      <PageHeading {...HEADINGS.recap} />
      <Loaded state={summary} loadingLabel="Loading your recap…">
        {({ first_played_at: first, last_played_at: last }) =>
          first && last ? (
            <RecapPage
              years={yearsBetween(first, last, timeZone)}
              listened={{ from: localDay(first, timeZone), to: localDay(last, timeZone) }}
              timeZone={timeZone}
            />
          ) : (
            <NoPlaysYet />
          )
        }
      </Loaded>
    </>
  );
}

interface RecapPageProps {
  years: number[];
  /** The local days of the first and last play: what an open end of a custom range means. */
  listened: { from: IsoDate; to: IsoDate };
  timeZone: string;
}

function RecapPage({ years, listened, timeZone }: RecapPageProps) {
  const [query, setQuery] = useQuery();
  const from = query.get("from") ?? undefined;
  const to = query.get("to") ?? undefined;
  const custom = from !== undefined || to !== undefined;
  const customRange = useMemo<DateRange>(() => ({ from, to }), [from, to]);
  const requestedYear = Number(query.get("year"));
  const year = years.includes(requestedYear) ? requestedYear : years[years.length - 1];
  const requestedMonth = Number(query.get("month"));
  const month = Number.isInteger(requestedMonth) && requestedMonth >= 1 && requestedMonth <= 12 ? requestedMonth : undefined;
  const first = from ?? listened.from;
  const last = to ?? listened.to;
  const problem = custom ? rangeProblem({ from: first, to: last }) : null;
  const period = useMemo<RecapPeriod>(() => {
    if (custom) return { kind: "range", from: first, to: last };
    return month === undefined ? { kind: "year", year } : { kind: "month", year, month };
  }, [custom, first, last, year, month]);

  // An open end of a picked range (the picker's "All time") is the first or last day listened.
  const onRangeChange = (range: DateRange) =>
    setQuery({ year: undefined, month: undefined, from: range.from ?? listened.from, to: range.to ?? listened.to });

  return (
    <>
      <RecapPeriodPicker
        years={years}
        year={year}
        month={month}
        custom={custom ? customRange : undefined}
        onYear={(value) => setQuery({ year: String(value), from: undefined, to: undefined })}
        onMonth={(value) => setQuery({ month: value === undefined ? undefined : String(value) })}
        onCustom={() => onRangeChange(periodDays(period))}
        onRangeChange={onRangeChange}
      />
      {problem ? (
        <RangeProblem
          range={{ from: first, to: last }}
          problem={problem}
          onRangeChange={onRangeChange}
          fallback={{ label: `Show ${years[years.length - 1]}`, onClick: () => setQuery({ from: undefined, to: undefined }) }}
        />
      ) : (
        <RecapResult period={period} timeZone={timeZone} />
      )}
    </>
  );
}

function RecapResult({ period, timeZone }: { period: RecapPeriod; timeZone: string }) {
  const recap = useApi(useCallback(() => getRecap(period), [period]));
  const card = useRef<HTMLElement>(null);
  const title = describePeriod(period);
  return (
    <Loaded state={recap} loadingLabel="Wrapping up your listening…">
      {(data) =>
        data.totals.plays === 0 ? (
          <EmptyState title={`No plays in ${title}`}>
            <p>Pick another year, month or range above: a recap needs days you listened on.</p>
          </EmptyState>
        ) : (
          <div className={styles.result}>
            <div className={styles.toolbar}>
              <DownloadPngButton target={card} fileName={recapFileName(period)} />
              <RecapExclude recap={data} title={title} timeZone={timeZone} />
            </div>
            <RecapCard ref={card} recap={data} title={title} timeZone={timeZone} />
          </div>
        )
      }
    </Loaded>
  );
}
