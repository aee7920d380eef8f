"use client";

import { useEffect, useMemo, useState } from "react";
import type { DateRange } from "@/lib/api";
import { isIsoDate, rangePresets } from "@/lib/dates";
import SegmentedControl from "./SegmentedControl";
import styles from "./DateRangePicker.module.css";

interface DateRangePickerProps {
  range: DateRange;
  onChange: (range: DateRange) => void;
}

function isValidRange({ from, to }: DateRange): boolean {
  if (from && !isIsoDate(from)) return false;
  if (to && !isIsoDate(to)) return false;
  return !(from && to && from > to);
}

/** Preset ranges ending today, or custom from/to dates (either may be left open). */
export default function DateRangePicker({ range, onChange }: DateRangePickerProps) {
  const presets = useMemo(() => rangePresets(), []);
  const [draft, setDraft] = useState<DateRange>(range);
  useEffect(() => setDraft(range), [range]);

  const active = presets.find((p) => p.range.from === range.from && p.range.to === range.to)?.id;
  const invalid = !isValidRange(draft);

  const edit = (field: keyof DateRange, value: string) => {
    const next = { ...draft, [field]: value || undefined };
    setDraft(next);
    if (isValidRange(next)) onChange(next);
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
      <div className={invalid ? `${styles.custom} ${styles.invalid}` : styles.custom}>
        <label className={styles.field}>
          <span>From</span>
          <input
            type="date"
            value={isIsoDate(draft.from) ? draft.from : ""}
            max={draft.to}
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
            min={draft.from}
            onChange={(e) => edit("to", e.target.value)}
            data-testid="range-to"
          />
        </label>
      </div>
    </div>
  );
}
