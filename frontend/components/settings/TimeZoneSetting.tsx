"use client";

import { useEffect, useId, useMemo, useRef, useState } from "react";
import { ApiError } from "@/lib/api";
import { useMe, useRenewSession } from "@/lib/session";
import { browserTimeZone, putSettings, timeZones, utcOffset } from "@/lib/settings";
import Panel from "@/components/primitives/Panel";
import styles from "./SettingForm.module.css";

type Saving =
  | { step: "idle" }
  | { step: "saving"; zone: string }
  | { step: "saved"; zone: string }
  | { step: "failed"; error: string };

const SHOWN_AT_ONCE = 8;

const searchable = (text: string) => text.toLowerCase().replace(/_/g, " ");

/** Whether a zone's name holds every word of `search`, in any order ("york new"). */
function matcher(search: string): (zone: string) => boolean {
  const words = searchable(search).split(/\s+/).filter(Boolean);
  return (zone) => words.every((word) => searchable(zone).includes(word));
}

/**
 * The time zone that cuts the user's days: found by typing part of its name, the browser's
 * offered when it differs. Saving re-cuts every past day, which takes a moment for a long
 * history, so the panel says what it is doing until the API answers.
 */
export default function TimeZoneSetting() {
  const id = useId();
  const me = useMe();
  const renewSession = useRenewSession();
  const current = me?.time_zone ?? "UTC";
  const [chosen, setChosen] = useState(current);
  const [search, setSearch] = useState("");
  const [saving, setSaving] = useState<Saving>({ step: "idle" });
  const browser = useMemo(() => browserTimeZone(), []);
  // Offsets as of this visit: a zone's offset changes only at its DST switches.
  const zones = useMemo(() => {
    const now = new Date();
    return timeZones(current, "UTC").map((zone) => ({ zone, label: `${zone} (${utcOffset(zone, now)})` }));
  }, [current]);
  const matches = zones.filter(({ zone }) => matcher(search)(zone));
  const busy = saving.step === "saving";
  // The list opens on the zone in use, as a closed select would show it.
  const list = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    const select = list.current;
    if (!select || select.selectedIndex < 0) return;
    // Options report no box of their own to scroll to: rows are of equal height.
    const row = select.scrollHeight / select.options.length;
    select.scrollTop = (select.selectedIndex - 2) * row;
  }, []);

  const save = (zone: string) => {
    setSaving({ step: "saving", zone });
    putSettings({ time_zone: zone }).then(
      (settings) => {
        setSaving({ step: "saved", zone: settings.time_zone });
        setChosen(settings.time_zone);
        // Every answer the page kept was cut in the old zone.
        renewSession();
      },
      (error: unknown) => setSaving({ step: "failed", error: failure(error, current) }),
    );
  };

  return (
    <Panel
      title="Time zone"
      subtitle="Your days, hours, streaks and calendars are cut in this zone; changing it re-cuts all of them."
      testId="time-zone-setting"
    >
      <div className={styles.form}>
        <p className={styles.current}>
          Now: <strong data-testid="current-time-zone">{current}</strong>{" "}
          <span className={styles.muted}>{utcOffset(current, new Date())}</span>
        </p>
        {browser !== current && (
          <p className={styles.suggestion} data-testid="browser-time-zone">
            <span>
              This browser is in <strong>{browser}</strong>.
            </span>
            <button type="button" className={styles.button} disabled={busy} onClick={() => save(browser)}>
              Use {browser}
            </button>
          </p>
        )}
        <label className={styles.field} htmlFor={`${id}-search`}>
          Find a time zone
          <input
            id={`${id}-search`}
            className={styles.input}
            type="search"
            placeholder="City or region, e.g. Berlin"
            autoComplete="off"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
              // The best guess is chosen as one types: Enter-free, one click to save.
              const first = zones.find(({ zone }) => matcher(event.target.value)(zone));
              if (first) setChosen(first.zone);
            }}
            data-testid="time-zone-search"
          />
        </label>
        <select
          ref={list}
          className={styles.list}
          size={Math.min(SHOWN_AT_ONCE, Math.max(2, matches.length))}
          aria-label="Time zones"
          value={matches.some(({ zone }) => zone === chosen) ? chosen : ""}
          onChange={(event) => setChosen(event.target.value)}
          data-testid="time-zone-list"
        >
          {matches.map(({ zone, label }) => (
            <option key={zone} value={zone}>
              {label}
            </option>
          ))}
        </select>
        {matches.length === 0 && <p className={styles.muted}>No time zone’s name holds “{search}”.</p>}
        <div className={styles.actions}>
          <button
            type="button"
            className={`${styles.button} ${styles.primary}`}
            disabled={busy || chosen === current || !matches.some(({ zone }) => zone === chosen)}
            onClick={() => save(chosen)}
            data-testid="save-time-zone"
          >
            {chosen === current ? "In use" : `Use ${chosen}`}
          </button>
          <SavingStatus saving={saving} />
        </div>
      </div>
    </Panel>
  );
}

/** What went wrong, in words; `current`, the zone that still cuts the days. */
function failure(error: unknown, current: string): string {
  if (!(error instanceof ApiError)) return String(error);
  // A gateway out of time (on AWS, 29 s): the re-cut, one transaction, was undone.
  if (error.status !== 503 && error.status !== 504) return error.message;
  return (
    "Re-cutting a history this long takes longer than the API may answer in, so nothing " +
    `changed: your days are still cut in ${current}.`
  );
}

function SavingStatus({ saving }: { saving: Saving }) {
  return (
    <p
      className={styles.status}
      role="status"
      aria-live="polite"
      data-testid="time-zone-status"
      data-step={saving.step}
    >
      {saving.step === "saving" && (
        <>
          <span className={styles.spinner} aria-hidden="true" />
          Re-cutting your days in {saving.zone}… a long history takes a moment.
        </>
      )}
      {saving.step === "saved" && <>Your days are now cut in {saving.zone}.</>}
      {saving.step === "failed" && <span className={styles.error}>{saving.error}</span>}
    </p>
  );
}
