"use client";
// What a page shows when rendering it failed (most often the database is briefly away): a plain
// explanation, a "Try again" button, and retries by themselves, further apart each time and
// spread out (a room full of tabs must not come back in step), so a projector left on the
// presenter screen recovers without anyone touching it.
import { useEffect, useRef, useState } from "react";

const FIRST_RETRY_S = 10;
const LONGEST_RETRY_S = 60;

/** Seconds until automatic retry number `attempt` (0-based): doubling, capped, ±20 %. */
function retryDelay(attempt: number): number {
  const base = Math.min(LONGEST_RETRY_S, FIRST_RETRY_S * 2 ** attempt);
  return Math.max(1, Math.round(base * (0.8 + Math.random() * 0.4)));
}

export function ServerTrouble({ digest, retry }: { digest?: string; retry: () => void }) {
  const attempts = useRef(0);
  const [left, setLeft] = useState<number | null>(null);
  // The first delay is drawn after mount: a random value in the server render would not match.
  useEffect(() => {
    if (left === null) {
      const timer = setTimeout(() => setLeft(retryDelay(attempts.current)), 0);
      return () => clearTimeout(timer);
    }
    const timer = setTimeout(() => {
      if (left > 1) return setLeft(left - 1);
      attempts.current += 1;
      setLeft(retryDelay(attempts.current));
      retry();
    }, 1000);
    return () => clearTimeout(timer);
  }, [left, retry]);
  return (
    <section aria-labelledby="server-trouble-title" className="mx-auto max-w-md py-16 text-center">
      <h1 id="server-trouble-title" className="text-3xl font-bold">
        This page could not load
      </h1>
      <p role="alert" className="mt-2 text-slate-600">
        Something went wrong on the server. Clicks it already confirmed are safe.
      </p>
      <button
        type="button"
        onClick={retry}
        className="mt-6 rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        Try again
      </button>
      <p className="mt-3 text-sm text-slate-500">{left === null ? "It will try again by itself." : `Trying again by itself in ${left} s.`}</p>
      {digest ? (
        <p className="mt-6 text-xs text-slate-400">
          Reference for the operator: <code>{digest}</code>
        </p>
      ) : null}
    </section>
  );
}
