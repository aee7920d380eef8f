"use client";

import { useCallback, useId, useState, type FormEvent, type ReactNode } from "react";
import { ApiError } from "@/lib/api";
import {
  KIND_LABELS,
  addRule,
  editRule,
  listRules,
  previewRule,
  removeRule,
  type ExclusionKind,
  type ExclusionRule,
  type ExclusionRuleIn,
} from "@/lib/exclusions";
import { formatDuration, formatInt } from "@/lib/format";
import { useRenewSession } from "@/lib/session";
import { useApi } from "@/lib/useApi";
import Panel from "@/components/primitives/Panel";
import form from "@/components/settings/SettingForm.module.css";
import styles from "./ExclusionRules.module.css";

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** A form's fields, as the inputs hold them (strings; "" for empty). */
interface Draft {
  kind: ExclusionKind;
  target: string;
  startsAt: string;
  endsAt: string;
  dailyFrom: string;
  dailyTo: string;
  weekdays: number[];
  minSeconds: string;
  note: string;
}

const EMPTY: Draft = {
  kind: "daily",
  target: "",
  startsAt: "",
  endsAt: "",
  dailyFrom: "01:00",
  dailyTo: "07:00",
  weekdays: [],
  minSeconds: "30",
  note: "",
};

const TARGET_FIELD: Partial<Record<ExclusionKind, keyof ExclusionRuleIn>> = {
  artist: "item_id",
  track: "item_id",
  album: "item_id",
  show: "show_name",
  platform: "platform_family",
  device: "platform_device",
};

const TARGET_LABEL: Partial<Record<ExclusionKind, string>> = {
  artist: "Artist ID (from the artist page's address)",
  track: "Track ID (from the track page's address)",
  album: "Album ID (from the album page's address)",
  show: "Show name",
  platform: "Platform, as the Playback page names it (e.g. Android)",
  device: "Device, as the Playback page names it",
};

/** A `datetime-local` value (this browser's time) as an instant, and back. */
const toInstant = (local: string) => (local ? new Date(local).toISOString() : null);
function toLocalInput(instant: string | null | undefined): string {
  if (!instant) return "";
  const date = new Date(instant);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function ruleOf(draft: Draft): ExclusionRuleIn {
  const rule: ExclusionRuleIn = { kind: draft.kind, note: draft.note || null };
  const target = TARGET_FIELD[draft.kind];
  if (target) return { ...rule, [target]: draft.target.trim() };
  switch (draft.kind) {
    case "window":
      return { ...rule, starts_at: toInstant(draft.startsAt), ends_at: toInstant(draft.endsAt) };
    case "daily":
      return {
        ...rule,
        daily_from: draft.dailyFrom || null,
        daily_to: draft.dailyTo || null,
        weekdays: draft.weekdays.length > 0 ? [...draft.weekdays].sort() : null,
      };
    default:
      return { ...rule, min_seconds: draft.minSeconds === "" ? null : Number(draft.minSeconds) };
  }
}

function draftOf(rule: ExclusionRule): Draft {
  const target = TARGET_FIELD[rule.kind];
  return {
    ...EMPTY,
    kind: rule.kind,
    target: target ? String(rule[target] ?? "") : "",
    startsAt: toLocalInput(rule.starts_at),
    endsAt: toLocalInput(rule.ends_at),
    dailyFrom: rule.daily_from?.slice(0, 5) ?? EMPTY.dailyFrom,
    dailyTo: rule.daily_to?.slice(0, 5) ?? EMPTY.dailyTo,
    weekdays: rule.weekdays ?? [],
    minSeconds: rule.min_seconds == null ? EMPTY.minSeconds : String(rule.min_seconds),
    note: rule.note ?? "",
  };
}

const message = (error: unknown) => (error instanceof ApiError || error instanceof Error ? error.message : String(error));

/**
 * The settings section of exclusion rules: each rule in words with the plays and listening
 * time it leaves out, a form to add one of any kind, and edit and remove for each. Every
 * change rebuilds the statistics before the API answers; the page's kept answers are dropped.
 */
export default function ExclusionRules() {
  const renewSession = useRenewSession();
  const [version, setVersion] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` asks for the list again
  const load = useCallback(() => listRules(), [version]);
  const { data: rules, error, loading } = useApi(load);
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const changed = () => {
    setEditing(null);
    setFailure(null);
    setVersion((previous) => previous + 1);
    renewSession();
  };
  const remove = (rule: ExclusionRule) => {
    if (rule.rule_id == null) return;
    removeRule(rule.rule_id).then(changed, (reason: unknown) => setFailure(message(reason)));
  };

  return (
    <Panel
      title="Exclusion rules"
      subtitle="Leave plays out of every statistic (a child's music, a sleep playlist, a party) without deleting them."
      testId="exclusion-rules"
    >
      <div className={form.form}>
        {error && <p className={form.error}>{error}</p>}
        {rules && rules.length === 0 && <p className={form.muted}>No rules: every play counts.</p>}
        {rules && rules.length > 0 && (
          <ul className={styles.rules} aria-busy={loading}>
            {rules.map((rule) =>
              editing === rule.rule_id ? (
                <li key={rule.rule_id}>
                  <RuleForm
                    initial={draftOf(rule)}
                    submitLabel="Save rule"
                    save={(next) => editRule(rule.rule_id ?? 0, next)}
                    onSaved={changed}
                    onCancel={() => setEditing(null)}
                  />
                </li>
              ) : (
                <li key={rule.rule_id} className={styles.rule} data-testid="exclusion-rule">
                  <div className={styles.ruleText}>
                    <p className={styles.description}>{rule.description}</p>
                    <p className={styles.meta} data-testid="exclusion-rule-matched">
                      Leaves out {formatInt(rule.matched_plays)} {rule.matched_plays === 1 ? "play" : "plays"},{" "}
                      {formatDuration(rule.matched_ms)}
                      {rule.note && <> · {rule.note}</>}
                    </p>
                  </div>
                  <div className={form.actions}>
                    <button type="button" className={form.button} onClick={() => setEditing(rule.rule_id)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className={form.button}
                      onClick={() => remove(rule)}
                      data-testid="remove-exclusion-rule"
                    >
                      Remove
                    </button>
                  </div>
                </li>
              ),
            )}
          </ul>
        )}
        {failure && (
          <p className={form.error} role="alert">
            {failure}
          </p>
        )}
        {editing === "new" ? (
          <RuleForm
            initial={EMPTY}
            submitLabel="Add rule"
            save={addRule}
            onSaved={changed}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <div className={form.actions}>
            <button type="button" className={`${form.button} ${form.primary}`} onClick={() => setEditing("new")}>
              Add a rule
            </button>
          </div>
        )}
      </div>
    </Panel>
  );
}

interface RuleFormProps {
  initial: Draft;
  submitLabel: string;
  save: (rule: ExclusionRuleIn) => Promise<ExclusionRule>;
  onSaved: () => void;
  onCancel: () => void;
}

function RuleForm({ initial, submitLabel, save, onSaved, onCancel }: RuleFormProps) {
  const id = useId();
  const [draft, setDraft] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<ExclusionRule | null>(null);
  const set = (change: Partial<Draft>) => {
    setPreview(null);
    setDraft((previous) => ({ ...previous, ...change }));
  };
  const showPreview = () => {
    setError(null);
    previewRule(ruleOf(draft)).then(setPreview, (reason: unknown) => setError(message(reason)));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    save(ruleOf(draft)).then(onSaved, (reason: unknown) => {
      setSaving(false);
      setError(message(reason));
    });
  };

  const field = (name: string, label: string, input: ReactNode) => (
    <label className={form.field} htmlFor={`${id}-${name}`}>
      {label}
      {input}
    </label>
  );
  const input = (name: string, value: string, change: (value: string) => void, type = "text") => (
    <input
      id={`${id}-${name}`}
      className={form.input}
      type={type}
      value={value}
      onChange={(event) => change(event.target.value)}
      data-testid={`exclusion-${name}`}
    />
  );

  return (
    <form className={form.form} onSubmit={submit} data-testid="exclusion-rule-form">
      <div className={styles.fields}>
        {field(
          "kind",
          "Leave out",
          <select
            id={`${id}-kind`}
            className={form.input}
            value={draft.kind}
            onChange={(event) => set({ kind: event.target.value as ExclusionKind })}
            data-testid="exclusion-kind"
          >
            {Object.entries(KIND_LABELS).map(([kind, label]) => (
              <option key={kind} value={kind}>
                {label}
              </option>
            ))}
          </select>,
        )}
        {TARGET_LABEL[draft.kind] &&
          field("target", TARGET_LABEL[draft.kind] ?? "", input("target", draft.target, (target) => set({ target })))}
        {draft.kind === "window" && (
          <>
            {field("starts", "From (this browser's time)", input("starts", draft.startsAt, (startsAt) => set({ startsAt }), "datetime-local"))}
            {field("ends", "Until", input("ends", draft.endsAt, (endsAt) => set({ endsAt }), "datetime-local"))}
          </>
        )}
        {draft.kind === "daily" && (
          <>
            {field("from", "From (your time zone)", input("from", draft.dailyFrom, (dailyFrom) => set({ dailyFrom }), "time"))}
            {field("to", "Until (earlier: past midnight)", input("to", draft.dailyTo, (dailyTo) => set({ dailyTo }), "time"))}
          </>
        )}
        {draft.kind === "shorter_than" &&
          field("seconds", "Seconds", input("seconds", draft.minSeconds, (minSeconds) => set({ minSeconds }), "number"))}
        {field("note", "Note (optional)", input("note", draft.note, (note) => set({ note })))}
      </div>
      {draft.kind === "daily" && (
        <fieldset className={styles.weekdays}>
          <legend>On the nights or days starting on (none: every day)</legend>
          {WEEKDAYS.map((name, index) => (
            <label key={name}>
              <input
                type="checkbox"
                checked={draft.weekdays.includes(index + 1)}
                onChange={(event) =>
                  set({
                    weekdays: event.target.checked
                      ? [...draft.weekdays, index + 1]
                      : draft.weekdays.filter((day) => day !== index + 1),
                  })
                }
              />{" "}
              {name}
            </label>
          ))}
        </fieldset>
      )}
      <div className={form.actions}>
        <button
          type="submit"
          className={`${form.button} ${form.primary}`}
          disabled={saving}
          data-testid="save-exclusion-rule"
        >
          {saving ? "Rebuilding your statistics…" : submitLabel}
        </button>
        <button type="button" className={form.button} onClick={showPreview} disabled={saving} data-testid="preview-exclusion-rule">
          Preview
        </button>
        <button type="button" className={form.button} onClick={onCancel} disabled={saving}>
          Cancel
        </button>
        {preview && (
          <p className={form.muted} role="status" data-testid="exclusion-rule-preview">
            {preview.description}: would leave out {formatInt(preview.matched_plays)}{" "}
            {preview.matched_plays === 1 ? "play" : "plays"}, {formatDuration(preview.matched_ms)}.
          </p>
        )}
        {error && (
          <p className={form.error} role="alert" data-testid="exclusion-rule-error">
            {error}
          </p>
        )}
      </div>
    </form>
  );
}
