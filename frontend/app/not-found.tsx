import Link from "next/link";
import SignInGate from "@/components/account/SignInGate";
import EmptyState from "@/components/states/EmptyState";

export default function NotFound() {
  return (
    <SignInGate>
      <EmptyState title="This page doesn’t exist">
        <p>
          Head back to the <Link href="/">overview</Link>.
        </p>
      </EmptyState>
    </SignInGate>
  );
}
