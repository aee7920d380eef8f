"use client";

import type { ReactNode } from "react";
import { useSession } from "@/lib/session";
import LoadingState from "@/components/states/LoadingState";
import SignInScreen from "./SignInScreen";

/**
 * The page once /me has answered (its times need the user's time zone), or the sign-in
 * screen once any API call has answered 401.
 */
export default function SignInGate({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.status === "loading") return <LoadingState />;
  return session.status === "signed-out" ? <SignInScreen /> : <>{children}</>;
}
