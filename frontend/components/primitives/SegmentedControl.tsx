import styles from "./SegmentedControl.module.css";

export interface Segment<T extends string> {
  value: T;
  label: string;
}

interface SegmentedControlProps<T extends string> {
  label: string;
  segments: Segment<T>[];
  /** The selected value; none is selected when it matches no segment. */
  value: T | undefined;
  onChange: (value: T) => void;
  testId?: string;
}

/** A row of mutually exclusive buttons (presets, years, granularities). */
export default function SegmentedControl<T extends string>({
  label,
  segments,
  value,
  onChange,
  testId,
}: SegmentedControlProps<T>) {
  return (
    <div className={styles.group} role="group" aria-label={label} data-testid={testId}>
      {segments.map((segment) => {
        const selected = segment.value === value;
        return (
          <button
            key={segment.value}
            type="button"
            className={selected ? `${styles.segment} ${styles.selected}` : styles.segment}
            aria-pressed={selected}
            data-value={segment.value}
            onClick={() => onChange(segment.value)}
          >
            {segment.label}
          </button>
        );
      })}
    </div>
  );
}
