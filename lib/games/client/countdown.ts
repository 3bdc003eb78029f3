"use client";
// A round's countdown on this tab: seconds left until a server time, on the tab's clock
// corrected by the server's (a projector's clock can be minutes off).
import { useEffect, useState } from "react";

/** Server clock minus this tab's clock, measured once from the server render's `serverNow`. */
export function useServerClockOffset(serverNow: number): number {
  const [offset] = useState(() => serverNow - Date.now());
  return offset;
}

function secondsUntil(endsAt: string, offsetMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(endsAt) - (Date.now() + offsetMs)) / 1000));
}

/** Whole seconds left until `endsAt` (null: no countdown), re-rendering as they tick down. */
export function useSecondsLeft(endsAt: string | null, offsetMs: number): number | null {
  const [left, setLeft] = useState<number | null>(() => (endsAt ? secondsUntil(endsAt, offsetMs) : null));
  useEffect(() => {
    if (!endsAt) {
      setLeft(null); // eslint-disable-line react-hooks/set-state-in-effect -- follows a prop
      return;
    }
    const tick = () => setLeft(secondsUntil(endsAt, offsetMs));
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [endsAt, offsetMs]);
  return left;
}

export function formatSeconds(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
