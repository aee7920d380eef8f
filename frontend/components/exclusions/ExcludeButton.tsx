"use client";

import Link from "next/link";
import { useState } from "react";
import { ApiError } from "@/lib/api";
import { addRule, type ExclusionRuleIn } from "@/lib/exclusions";
import { formatDuration, formatInt } from "@/lib/format";
import { useRenewSession } from "@/lib/session";
import form from "@/components/settings/SettingForm.module.css";
import styles from "./ExclusionRules.module.css";

interface ExcludeButtonProps {
  /** The rule to add, e.g. `{ kind: "artist", item_id }`. */
  rule: ExclusionRuleIn;
  /** What the rule leaves out, in words: "every play of Band", "the plays of 3-5 May". */
  what: string;
  /** The button's words. */
  label?: string;
}

type Step =
  | { step: "idle" }
  | { step: "confirming" }
  | { step: "saving" }
  | { step: "done"; plays: number; ms: number }
  | { step: "failed"; error: string };

/**
 * "Exclude" on an entity page or a recap: asks to confirm (saying it can be undone in
 * Settings), adds the rule, and reloads the page's answers, which no longer count its plays.
 */
export default function ExcludeButton({ rule, what, label = "Exclude from statistics" }: ExcludeButtonProps) {
  const renewSession = useRenewSession();
  const [state, setState] = useState<Step>({ step: "idle" });

  const confirm = () => {
    setState({ step: "saving" });
    addRule(rule).then(
      (stored) => {
        setState({ step: "done", plays: stored.matched_plays, ms: stored.matched_ms });
        renewSession();
      },
      (error: unknown) => setState({ step: "failed", error: error instanceof ApiError ? error.message : String(error) }),
    );
  };

  if (state.step === "idle" || state.step === "failed") {
    return (
      <div className={form.actions}>
        <button
          type="button"
          className={form.button}
          onClick={() => setState({ step: "confirming" })}
          data-testid="exclude-button"
        >
          {label}
        </button>
        {state.step === "failed" && (
          <p className={form.error} role="alert">
            {state.error}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className={styles.confirm} role="status" aria-live="polite" data-testid="exclude-confirmation">
      {state.step === "done" ? (
        <p>
          Left out {formatInt(state.plays)} {state.plays === 1 ? "play" : "plays"} ({formatDuration(state.ms)}).
          Undo it any time in <Link href="/settings/#exclusions">Settings → Exclusion rules</Link>.
        </p>
      ) : (
        <>
          <p>
            Leave {what} out of every statistic? The plays stay stored, and you can undo this any time in Settings →
            Exclusion rules.
          </p>
          <div className={form.actions}>
            <button
              type="button"
              className={`${form.button} ${form.primary}`}
              disabled={state.step === "saving"}
              onClick={confirm}
              data-testid="confirm-exclude"
            >
              {state.step === "saving" ? "Rebuilding your statistics…" : "Exclude"}
            </button>
            <button
              type="button"
              className={form.button}
              disabled={state.step === "saving"}
              onClick={() => setState({ step: "idle" })}
            >
              Cancel
            </button>
          </div>
        </>
      )}
    </div>
  );
}
