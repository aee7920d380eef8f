import SignInGate from "@/components/account/SignInGate";
import OverviewView from "./OverviewView";

export default function OverviewPage() {
  return (
    <SignInGate loadingLabel="Loading your listening…">
      <OverviewView />
    </SignInGate>
  );
}
