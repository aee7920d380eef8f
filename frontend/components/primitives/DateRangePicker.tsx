"use client";

import { useMemo, useState } from "react";
import type { DateRange, IsoDate } from "@/lib/api";
import { isIsoDate, rangePresets } from "@/lib/dates";
import { useToday } from "@/lib/useNow";
import SegmentedControl from "./SegmentedControl";
import styles from "./DateRangePicker.module.css";

interface DateRangePickerProps {
  range: DateRange;
  onChange: (range: DateRange) => void;
}

/**
 * The range after one end is set to `value`: an end moved past the other one takes it along,
 * so the range never runs backwards.
 */
function withEnd(range: DateRange, end: keyof DateRange, value: IsoDate | undefined): DateRange {
  const next = { ...range, [end]: value };
  if (next.from && next.to && next.from > next.to) {
    if (end === "from") next.to = next.from;
    else next.from = next.to;
  }
  return next;
}

// A date input answers a year being typed digit by digit ("0002-", "0020-", "0202-", then
// "2025-..."); only a date from 1900 on is taken as picked.
const FIRST_PICKABLE = "1900-01-01";

function isPicked(value: string): boolean {
  return isIsoDate(value) && value >= FIRST_PICKABLE;
}

/** Preset ranges ending today (in the user's time zone), or custom from/to dates (either may be open). */
export default function DateRangePicker({ range, onChange }: DateRangePickerProps) {
  const today = useToday();
  const presets = useMemo(() => rangePresets(today), [today]);
  // The draft follows a new range from the address (adjusted while rendering, not in an effect).
  const [draft, setDraft] = useState<DateRange>(range);
  const [drafted, setDrafted] = useState<DateRange>(range);
  if (drafted !== range) {
    setDrafted(range);
    setDraft(range);
  }

  const active = presets.find((p) => p.range.from === range.from && p.range.to === range.to)?.id;
  const typing = [draft.from, draft.to].some((value) => value && !isPicked(value));

  const edit = (end: keyof DateRange, value: string) => {
    if (value && !isPicked(value)) {
      setDraft({ ...draft, [end]: value });
      return;
    }
    // The other end as last picked: one still being typed is not sent.
    const other = (key: keyof DateRange) => (draft[key] === undefined || isPicked(draft[key]) ? draft[key] : range[key]);
    const next = withEnd({ from: other("from"), to: other("to") }, end, value || undefined);
    setDraft(next);
    onChange(next);
  };

  return (
    <div className={styles.picker} data-testid="date-range">
      <SegmentedControl
        label="Date range"
        segments={presets.map(({ id, label }) => ({ value: id, label }))}
        value={active}
        onChange={(id) => onChange(presets.find((p) => p.id === id)?.range ?? {})}
        testId="range-presets"
      />
      <div className={typing ? `${styles.custom} ${styles.invalid}` : styles.custom}>
        <label className={styles.field}>
          <span>From</span>
          <input
            type="date"
            value={isIsoDate(draft.from) ? draft.from : ""}
            onChange={(e) => edit("from", e.target.value)}
            data-testid="range-from"
          />
        </label>
        <span className={styles.dash} aria-hidden="true">
          –
        </span>
        <label className={styles.field}>
          <span>To</span>
          <input
            type="date"
            value={isIsoDate(draft.to) ? draft.to : ""}
            onChange={(e) => edit("to", e.target.value)}
            data-testid="range-to"
          />
        </label>
      </div>
    </div>
  );
}
