"use client";

import type { ReactNode } from "react";
import { useSession } from "@/lib/session";
import SignInScreen from "./SignInScreen";

/** The page, or the sign-in screen once any API call has answered 401. */
export default function SignInGate({ children }: { children: ReactNode }) {
  const session = useSession();
  return session.status === "signed-out" ? <SignInScreen /> : <>{children}</>;
}
