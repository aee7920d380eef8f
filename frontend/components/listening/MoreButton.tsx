import styles from "./MoreButton.module.css";

interface MoreButtonProps {
  label: string;
  pending: boolean;
  /** Why the last attempt failed, if it did. */
  failure?: string;
  onClick: () => void;
  testId: string;
}

/** Appends the next page of a list; says so while it loads, and why when it fails. */
export default function MoreButton({ label, pending, failure, onClick, testId }: MoreButtonProps) {
  return (
    <>
      {failure && (
        <p className={styles.failure} role="alert">
          {failure}
        </p>
      )}
      <button type="button" className={styles.more} onClick={onClick} disabled={pending} data-testid={testId}>
        {pending ? "Loading…" : label}
      </button>
    </>
  );
}
