import { HEADINGS } from "@/lib/headings";
import SignInGate from "@/components/account/SignInGate";
import OverviewView from "./OverviewView";

export default function OverviewPage() {
  return (
    <SignInGate heading={HEADINGS.overview} loadingLabel="Loading your listening…">
      <OverviewView />
    </SignInGate>
  );
}
