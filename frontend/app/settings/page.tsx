import type { Metadata } from "next";
import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import PageHeading from "@/components/primitives/PageHeading";
import ExclusionRules from "@/components/exclusions/ExclusionRules";
import DeleteMyData from "@/components/settings/DeleteMyData";
import EraseRange from "@/components/settings/EraseRange";
import ExportData from "@/components/settings/ExportData";
import ProviderCoverage from "@/components/settings/ProviderCoverage";
import RankingMeasureSetting from "@/components/settings/RankingMeasureSetting";
import SettingsSection from "@/components/settings/SettingsSection";
import SharingSetting from "@/components/settings/SharingSetting";
import SignOutEverywhere from "@/components/settings/SignOutEverywhere";
import TimeZoneSetting from "@/components/settings/TimeZoneSetting";
import styles from "./page.module.css";

export const metadata: Metadata = { title: "Settings" };

// Each section lists its settings' components, each a self-contained panel that loads and
// saves its own data; a section with none is left out.
export default function SettingsPage() {
  return (
    <SignInGate heading={HEADINGS.settings} loadingLabel="Loading your settings…">
      <PageHeading {...HEADINGS.settings} />
      <div className={styles.sections}>
        <SettingsSection
          id="preferences"
          title="Preferences"
          description="How Moodify cuts your days and ranks your tops."
        >
          <TimeZoneSetting />
          <RankingMeasureSetting />
        </SettingsSection>
        <SettingsSection
          id="exclusions"
          title="Exclusion rules"
          description="Plays left out of every statistic without being deleted; remove a rule to count them again."
        >
          <ExclusionRules />
        </SettingsSection>
        <SettingsSection
          id="providers"
          title="Data providers"
          description="Where track features, genres and artwork come from, and how much of your music each covers."
        >
          <ProviderCoverage />
        </SettingsSection>
        <SettingsSection
          id="your-data"
          title="Your data"
          description="Take your plays and settings with you, or erase them."
        >
          <ExportData />
          <EraseRange />
          <DeleteMyData />
        </SettingsSection>
        <SettingsSection
          id="sessions"
          title="Sessions"
          description="The browsers and devices signed in to your account."
        >
          <SignOutEverywhere />
        </SettingsSection>
        <SettingsSection
          id="sharing"
          title="Sharing"
          description="Compare your listening with the other people on this Moodify, if you both choose to."
        >
          <SharingSetting />
        </SettingsSection>
      </div>
    </SignInGate>
  );
}
