"use client";

import { useState } from "react";
import { ApiError, type TopMeasure } from "@/lib/api";
import { useMe, useRenewSession } from "@/lib/session";
import { putSettings } from "@/lib/settings";
import Panel from "@/components/primitives/Panel";
import SegmentedControl from "@/components/primitives/SegmentedControl";
import styles from "./SettingForm.module.css";

type Saving =
  | { step: "idle" }
  | { step: "saving" }
  | { step: "saved"; by: TopMeasure }
  | { step: "failed"; error: string };

const MEASURES: Record<TopMeasure, string> = { listening_time: "Listening time", plays: "Plays" };

/** What the top lists rank by when the page's address names no measure; saved on choosing. */
export default function RankingMeasureSetting() {
  const me = useMe();
  const renewSession = useRenewSession();
  const [saving, setSaving] = useState<Saving>({ step: "idle" });
  const [chosen, setChosen] = useState<TopMeasure | undefined>(undefined);
  const value = chosen ?? me?.ranking_measure;

  const save = (by: TopMeasure) => {
    setChosen(by);
    setSaving({ step: "saving" });
    putSettings({ ranking_measure: by }).then(
      (settings) => {
        setSaving({ step: "saved", by: settings.ranking_measure });
        renewSession();
      },
      (error: unknown) => {
        setChosen(undefined);
        setSaving({ step: "failed", error: error instanceof ApiError ? error.message : String(error) });
      },
    );
  };

  return (
    <Panel
      title="Default ranking"
      subtitle="What your top tracks, artists, albums and shows rank by, until you pick the other measure on a page."
      testId="ranking-measure-setting"
    >
      <div className={styles.actions}>
        <SegmentedControl
          label="Rank top lists by"
          segments={(Object.keys(MEASURES) as TopMeasure[]).map((by) => ({ value: by, label: MEASURES[by] }))}
          value={value}
          onChange={(by) => {
            if (by !== value && saving.step !== "saving") save(by);
          }}
          testId="ranking-measure"
        />
        <p
          className={styles.status}
          role="status"
          aria-live="polite"
          data-testid="ranking-measure-status"
          data-step={saving.step}
        >
          {saving.step === "saving" && "Saving…"}
          {saving.step === "saved" && `Top lists now rank by ${MEASURES[saving.by].toLowerCase()}.`}
          {saving.step === "failed" && <span className={styles.error}>{saving.error}</span>}
        </p>
      </div>
    </Panel>
  );
}
