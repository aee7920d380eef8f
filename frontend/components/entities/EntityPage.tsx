import type { ReactNode } from "react";
import type { Entity, EntityMood } from "@/lib/entities";
import { MeasureToggle, rankedBy } from "@/components/listening/TopMeasure";
import Panel from "@/components/primitives/Panel";
import EmptyState from "@/components/states/EmptyState";
import EntityHeader from "./EntityHeader";
import EntityMoodPanel from "./EntityMoodPanel";
import EntityStats from "./EntityStats";
import type { EntityPageControls } from "./EntityView";
import MonthlyPlays from "./MonthlyPlays";
import MonthlyRanks from "./MonthlyRanks";
import styles from "./EntityPage.module.css";

interface EntityPageProps {
  entity: Entity & { name: string };
  controls: EntityPageControls;
  /** What it is, for its header: "Track", "Artist", "Album", "Podcast", "Audiobook". */
  kind: string;
  art: ReactNode;
  byline?: ReactNode;
  /** What it ranks among each month: "tracks", "artists", … */
  among: string;
  /** Its top list (tracks or episodes), titled; none for a track. */
  top?: { title: string; list: ReactNode };
  /** The mood of its tracks; none for a show. */
  mood?: EntityMood;
  /** A way to leave its plays out of the statistics (an `ExcludeButton`). */
  exclude?: ReactNode;
}

/** Every entity page's body: header, figures, history by month, its top list and mood. */
export default function EntityPage({ entity, controls, kind, art, byline, among, top, mood, exclude }: EntityPageProps) {
  const { range, by, rangePicker, onByChange, onRangeChange } = controls;
  const unplayed = entity.plays === 0 && (
    <EmptyState title="No plays in this range" action={{ label: "Show all time", onClick: () => onRangeChange({}) }}>
      <p>You didn’t play {entity.name} between these dates. Pick a wider range, or look at all time.</p>
    </EmptyState>
  );
  const moodPanel = mood && (
    <Panel title="Mood" subtitle="In this range, weighted by listening time" testId="panel-entity-mood">
      <EntityMoodPanel mood={mood} />
    </Panel>
  );
  return (
    <>
      <EntityHeader kind={kind} name={entity.name} art={art} byline={byline} entity={entity}>
        {rangePicker}
        {exclude}
      </EntityHeader>
      <div className={styles.layout}>
        <EntityStats entity={entity} range={range} />
        <div className={styles.columns}>
          <div className={styles.column}>
            <Panel title="Plays per month" subtitle="All time, months in your time zone" testId="panel-monthly-plays">
              <MonthlyPlays months={entity.months} />
            </Panel>
            {top ? (
              <Panel
                title={top.title}
                subtitle={rankedBy(by)}
                testId="panel-entity-top"
                actions={<MeasureToggle value={by} onChange={onByChange} testId="entity-top-by" />}
              >
                {unplayed || top.list}
              </Panel>
            ) : (
              moodPanel
            )}
          </div>
          <div className={styles.column}>
            <Panel title={`Rank among your ${among}`} subtitle="By plays, month by month" testId="panel-monthly-ranks">
              <MonthlyRanks months={entity.months} among={among} />
            </Panel>
            {top && moodPanel}
          </div>
        </div>
      </div>
    </>
  );
}
