"use client";

import type { DateRange } from "@/lib/api";
import DateRangePicker from "@/components/primitives/DateRangePicker";
import styles from "./RecapControls.module.css";

const monthName = new Intl.DateTimeFormat(undefined, { month: "long", timeZone: "UTC" });
const MONTHS = Array.from({ length: 12 }, (_, index) => monthName.format(new Date(Date.UTC(2000, index, 1))));

interface RecapPeriodPickerProps {
  /** The years with listening, oldest first. */
  years: number[];
  year: number;
  /** 1–12; none for the whole year. */
  month: number | undefined;
  /** The range picked by hand; none while a year or month is picked. */
  custom: DateRange | undefined;
  onYear: (year: number) => void;
  onMonth: (month: number | undefined) => void;
  onCustom: () => void;
  onRangeChange: (range: DateRange) => void;
}

/** A year (a button for each year with listening), one of its months, or a custom range. */
export default function RecapPeriodPicker({
  years,
  year,
  month,
  custom,
  onYear,
  onMonth,
  onCustom,
  onRangeChange,
}: RecapPeriodPickerProps) {
  return (
    <div className={styles.picker}>
      <div className={styles.chips} role="group" aria-label="Period" data-testid="recap-periods">
        {years.map((value) => (
          <button
            key={value}
            type="button"
            className={styles.chip}
            aria-pressed={!custom && value === year}
            data-value={value}
            onClick={() => onYear(value)}
          >
            {value}
          </button>
        ))}
        <button
          type="button"
          className={styles.chip}
          aria-pressed={custom !== undefined}
          data-value="custom"
          onClick={onCustom}
        >
          Custom range
        </button>
      </div>
      {custom ? (
        <DateRangePicker range={custom} onChange={onRangeChange} />
      ) : (
        <label className={styles.month}>
          <span>Month</span>
          <select
            value={month ?? ""}
            onChange={(event) => onMonth(event.target.value ? Number(event.target.value) : undefined)}
            data-testid="recap-month"
          >
            <option value="">Whole year</option>
            {MONTHS.map((name, index) => (
              <option key={name} value={index + 1}>
                {name} {year}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
