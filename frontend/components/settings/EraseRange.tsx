"use client";

import { useId, useState } from "react";
import { ApiError } from "@/lib/api";
import { erasePlays, type PlaysErased } from "@/lib/erasure";
import { formatDate, formatDuration, formatInt } from "@/lib/format";
import { useRenewSession } from "@/lib/session";
import { useToday } from "@/lib/useNow";
import Panel from "@/components/primitives/Panel";
import styles from "./SettingForm.module.css";
import erasure from "./Erasure.module.css";

type Step =
  | { step: "idle" }
  | { step: "counting" }
  | { step: "counted"; found: PlaysErased }
  | { step: "erasing"; found: PlaysErased }
  | { step: "erased"; erased: PlaysErased }
  | { step: "failed"; error: string };

const message = (error: unknown) => (error instanceof ApiError ? error.message : String(error));

const plays = (found: PlaysErased) =>
  `${formatInt(found.plays)} ${found.plays === 1 ? "play" : "plays"} (${formatDuration(found.listening_ms)})`;

const days = (found: PlaysErased) =>
  found.from === found.to ? formatDate(found.from) : `${formatDate(found.from)} to ${formatDate(found.to)}`;

/**
 * Erase the plays of a range of days: pick the days, see how many plays they hold, then
 * confirm. Erased plays are gone from every statistic for good, and a tombstone keeps a
 * rebuild or a second import of the same export from bringing them back.
 */
export default function EraseRange() {
  const id = useId();
  const today = useToday();
  const renewSession = useRenewSession();
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [step, setStep] = useState<Step>({ step: "idle" });
  const problem = !from || !to ? "Pick both days." : from > to ? "The range ends before it starts." : null;
  const busy = step.step === "counting" || step.step === "erasing";

  const count = () => {
    setStep({ step: "counting" });
    erasePlays(from, to, true).then(
      (found) => setStep({ step: "counted", found }),
      (error: unknown) => setStep({ step: "failed", error: message(error) }),
    );
  };
  const erase = (found: PlaysErased) => {
    setStep({ step: "erasing", found });
    erasePlays(found.from, found.to, false).then(
      (erased) => {
        setStep({ step: "erased", erased });
        // Every answer the pages kept counted the erased plays.
        renewSession();
      },
      (error: unknown) => setStep({ step: "failed", error: message(error) }),
    );
  };
  return (
    <Panel
      title="Erase a range of plays"
      subtitle="Deletes the plays of these days (in your time zone) for good, from every statistic. To only leave plays out, add an exclusion rule instead."
      testId="erase-range"
    >
      <div className={styles.form}>
        <div className={styles.actions}>
          {(
            [
              ["from", "From", from, setFrom],
              ["to", "To (included)", to, setTo],
            ] as const
          ).map(([name, label, value, set]) => (
            <label key={name} className={styles.field} htmlFor={`${id}-${name}`}>
              {label}
              <input
                id={`${id}-${name}`}
                className={styles.input}
                type="date"
                max={today}
                value={value}
                onChange={(event) => {
                  set(event.target.value);
                  setStep({ step: "idle" });
                }}
                data-testid={`erase-${name}`}
              />
            </label>
          ))}
        </div>
        {problem && <p className={styles.muted}>{problem}</p>}
        <div className={styles.actions}>
          <button
            type="button"
            className={styles.button}
            disabled={busy || problem !== null}
            onClick={count}
            data-testid="erase-count"
          >
            Count the plays
          </button>
          {(step.step === "counted" || step.step === "erasing") && step.found.plays > 0 && (
            <>
              <button
                type="button"
                className={`${styles.button} ${erasure.danger}`}
                disabled={busy}
                onClick={() => erase(step.found)}
                data-testid="erase-confirm"
              >
                Erase {formatInt(step.found.plays)} {step.found.plays === 1 ? "play" : "plays"}
              </button>
              <button
                type="button"
                className={styles.button}
                disabled={busy}
                onClick={() => setStep({ step: "idle" })}
              >
                Cancel
              </button>
            </>
          )}
        </div>
        <p className={styles.status} role="status" aria-live="polite" data-testid="erase-status" data-step={step.step}>
          {step.step === "counting" && "Counting…"}
          {step.step === "counted" &&
            (step.found.plays === 0
              ? `No plays on ${days(step.found)}.`
              : `${days(step.found)} ${step.found.from === step.found.to ? "holds" : "hold"} ${plays(step.found)}. Erasing cannot be undone.`)}
          {step.step === "erasing" && (
            <>
              <span className={styles.spinner} aria-hidden="true" />
              Erasing {plays(step.found)}…
            </>
          )}
          {step.step === "erased" && `Erased ${plays(step.erased)} of ${days(step.erased)}.`}
          {step.step === "failed" && <span className={styles.error}>{step.error}</span>}
        </p>
      </div>
    </Panel>
  );
}
