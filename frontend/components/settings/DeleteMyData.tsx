"use client";

import { useId, useRef, useState } from "react";
import { ApiError } from "@/lib/api";
import { eraseEverything } from "@/lib/erasure";
import { useMe } from "@/lib/session";
import Panel from "@/components/primitives/Panel";
import styles from "./SettingForm.module.css";
import erasure from "./Erasure.module.css";

type Step = { step: "idle" } | { step: "deleting" } | { step: "failed"; error: string };

/**
 * Delete everything Moodify keeps of the user, behind a dialog where they type their user
 * id (or display name). Done, the session is gone too: back to the start.
 */
export default function DeleteMyData() {
  const id = useId();
  const me = useMe();
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const [step, setStep] = useState<Step>({ step: "idle" });
  if (!me) return null;
  const names = [me.user_id, me.display_name].filter((name): name is string => Boolean(name));
  const confirmed = names.includes(typed.trim());

  const remove = () => {
    setStep({ step: "deleting" });
    eraseEverything(typed.trim()).then(
      // The answer cleared the session cookie: a whole new page, with nothing of the user kept.
      () => window.location.replace("/"),
      (error: unknown) =>
        setStep({ step: "failed", error: error instanceof ApiError ? error.message : String(error) }),
    );
  };

  return (
    <Panel
      title="Delete all my data"
      subtitle="Everything Moodify keeps of you, for good: you are signed out everywhere, and signing in again starts afresh."
      testId="delete-my-data"
    >
      <div className={styles.form}>
        <ul className={erasure.list}>
          <li>every play, import and setting of yours in the warehouse</li>
          <li>every file of yours in the lake: raw exports, imports, exports, tombstones</li>
          <li>your Spotify sign-in (its refresh token) and every session</li>
        </ul>
        <p className={styles.muted}>Names of tracks, artists and albums that other users share stay.</p>
        <div className={styles.actions}>
          <button
            type="button"
            className={`${styles.button} ${erasure.danger}`}
            onClick={() => dialog.current?.showModal()}
            data-testid="delete-my-data-open"
          >
            Delete my data…
          </button>
        </div>
      </div>
      <dialog ref={dialog} className={erasure.dialog} aria-labelledby={`${id}-title`} data-testid="delete-my-data-dialog">
        <form
          className={styles.form}
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            if (confirmed) remove();
          }}
        >
          <h3 id={`${id}-title`} className={erasure.dialogTitle}>
            Delete all your data?
          </h3>
          <label className={styles.field} htmlFor={`${id}-confirm`}>
            Type <code>{me.user_id}</code> to confirm
            <input
              id={`${id}-confirm`}
              className={styles.input}
              autoComplete="off"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              data-testid="delete-my-data-confirm"
            />
          </label>
          <div className={styles.actions}>
            <button
              type="submit"
              className={`${styles.button} ${erasure.danger}`}
              disabled={!confirmed || step.step === "deleting"}
              data-testid="delete-my-data-submit"
            >
              Delete everything
            </button>
            <button type="button" className={styles.button} onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
          <p className={styles.status} role="status" aria-live="polite" data-testid="delete-my-data-status">
            {step.step === "deleting" && (
              <>
                <span className={styles.spinner} aria-hidden="true" />
                Deleting…
              </>
            )}
            {step.step === "failed" && <span className={styles.error}>{step.error}</span>}
          </p>
        </form>
      </dialog>
    </Panel>
  );
}
