"use client";

import { Suspense, type ReactNode } from "react";
import type { Heading } from "@/lib/headings";
import { useSession } from "@/lib/session";
import PageHeading from "@/components/primitives/PageHeading";
import LoadingState from "@/components/states/LoadingState";
import SignInScreen from "./SignInScreen";

interface SignInGateProps {
  /** The page's heading, shown while it waits: it is in the exported HTML, painted at once. */
  heading?: Heading;
  loadingLabel?: string;
  children: ReactNode;
}

/**
 * A page once /me has answered (its times need the user's time zone), or the sign-in
 * screen once any API call has answered 401.
 */
export default function SignInGate({ heading, loadingLabel, children }: SignInGateProps) {
  const session = useSession();
  if (session.status === "signed-out") return <SignInScreen />;
  const waiting = (
    <>
      {heading && <PageHeading title={heading.title} subtitle={heading.subtitle} />}
      <LoadingState label={loadingLabel} />
    </>
  );
  if (session.status === "loading") return waiting;
  // The page reads its address (useSearchParams), which a static export leaves to the browser.
  return <Suspense fallback={waiting}>{children}</Suspense>;
}
