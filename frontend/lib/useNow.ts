"use client";

import { useEffect, useState } from "react";
import type { IsoDate } from "./api";
import { localDay } from "./dates";
import { useTimeZone } from "./session";

/** The current time in ms, refreshed every `intervalMs`, so relative times and deadlines stay true. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Today in the user's time zone, checked every minute (inside SignInGate, as `useTimeZone`). */
export function useToday(): IsoDate {
  return localDay(useNow(60_000), useTimeZone());
}
