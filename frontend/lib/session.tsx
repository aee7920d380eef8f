"use client";

import { createContext, startTransition, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { ApiError, forgetAnswers, getMe, onUnauthorized, type Me } from "./api";

export type Session =
  /** /me is on its way. */
  | { status: "loading" }
  /** Signed in (or the local demo's user). */
  | { status: "ready"; me: Me }
  /** An API call answered 401: show the sign-in screen. */
  | { status: "signed-out" }
  /** /me failed otherwise (API down, older server): the pages carry on without account details. */
  | { status: "unavailable"; error: string };

const SessionContext = createContext<Session>({ status: "loading" });
const RenewContext = createContext<() => void>(() => undefined);

/**
 * Fetches /me once per page load (again when renewed) and listens for any API call
 * answering 401.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: "loading" });
  const [generation, setGeneration] = useState(0);
  const renew = useCallback(() => {
    forgetAnswers();
    setGeneration((previous) => previous + 1);
  }, []);
  useEffect(() => {
    let current = true;
    const unsubscribe = onUnauthorized(() => setSession({ status: "signed-out" }));
    // As a transition (like every answer, see useApi): the page that /me lets through
    // renders in slices, the browser free to respond in between.
    const settle = (next: Session) =>
      startTransition(() => setSession((previous) => (previous.status === "signed-out" ? previous : next)));
    getMe().then(
      (me) => current && settle({ status: "ready", me }),
      (error: unknown) => {
        if (!current || (error instanceof ApiError && error.status === 401)) return;
        settle({ status: "unavailable", error: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
      unsubscribe();
    };
  }, [generation]);
  return (
    <RenewContext.Provider value={renew}>
      <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
    </RenewContext.Provider>
  );
}

/**
 * Forgets every answer the page kept and asks /me again, the session staying as it was until
 * /me answers: after a change of settings, which every answer may depend on.
 */
export function useRenewSession(): () => void {
  return useContext(RenewContext);
}

/** The whole session state. */
export function useSession(): Session {
  return useContext(SessionContext);
}

/** The signed-in user, once /me has answered. */
export function useMe(): Me | undefined {
  const session = useSession();
  return session.status === "ready" ? session.me : undefined;
}

/**
 * The IANA time zone every time and day is shown in: the user's, which the API cuts days in;
 * the browser's only when /me failed. Undefined while /me is on its way or signed out.
 */
export function timeZoneOf(session: Session): string | undefined {
  if (session.status === "ready") return session.me.time_zone;
  if (session.status === "unavailable") return new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return undefined;
}

/** The time zone of `timeZoneOf`, inside SignInGate (which waits for /me). */
export function useTimeZone(): string {
  const timeZone = timeZoneOf(useSession());
  if (timeZone === undefined) throw new Error("useTimeZone() outside SignInGate: /me has not answered yet");
  return timeZone;
}
