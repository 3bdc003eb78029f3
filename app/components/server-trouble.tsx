"use client";
// What a page shows when rendering it failed (most often the database is briefly away): a plain
// explanation, a "Try again" button, and retries by themselves, further apart each time and
// spread out (a room full of tabs must not come back in step), so a projector left on the
// presenter screen recovers without anyone touching it. Retries are counted per path across the
// error page's remounts (retry-memory.ts); a hidden tab waits until it is shown.
import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { errorPageShown, noteRetries, retriesSoFar } from "./retry-memory";

const FIRST_RETRY_S = 10;
const LONGEST_RETRY_S = 60;

/** Seconds until automatic retry number `attempt` (0-based): doubling, capped, ±20 %. */
function retryDelay(attempt: number): number {
  const base = Math.min(LONGEST_RETRY_S, FIRST_RETRY_S * 2 ** attempt);
  return Math.max(1, Math.round(base * (0.8 + Math.random() * 0.4)));
}

function countdownText(secondsLeft: number | null, waitingForTab: boolean, retrying: boolean): string {
  if (retrying) return "Trying again…";
  // Only while the tab is hidden: a tab nobody sees does not load the server.
  if (waitingForTab) return "It will try again once this tab is shown.";
  if (secondsLeft === null) return "It will try again by itself.";
  return `Trying again by itself in ${secondsLeft} s.`;
}

export function ServerTrouble({ digest, retry }: { digest?: string; retry: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // When the automatic retry is due (a deadline, not a chain of ticks: a background tab's timers
  // are throttled). Null until mounted: a random delay drawn in the server render would not hydrate.
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  const [waitingForTab, setWaitingForTab] = useState(false);
  // Tracks Next's retry (a transition: refresh, then render again) until it has rendered.
  const [retrying, startRetry] = useTransition();

  const retryNow = useCallback(() => {
    const path = window.location.pathname;
    const attempts = retriesSoFar(path) + 1;
    noteRetries(path, attempts);
    setNow(Date.now());
    setRetryAt(Date.now() + retryDelay(attempts) * 1000);
    setWaitingForTab(false);
    startRetry(retry);
  }, [retry]);

  useEffect(() => {
    // Screen readers and keyboards start at what happened, not at the top of a page that failed.
    heading.current?.focus();
    const timer = setTimeout(() => {
      setNow(Date.now());
      setRetryAt(Date.now() + retryDelay(retriesSoFar(window.location.pathname)) * 1000);
    }, 0);
    const shown = errorPageShown(window.location.pathname);
    return () => {
      clearTimeout(timer);
      shown();
    };
  }, []);

  useEffect(() => {
    if (retryAt === null || retrying) return;
    const due = setTimeout(() => (document.hidden ? setWaitingForTab(true) : retryNow()), retryAt - Date.now());
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearTimeout(due);
      clearInterval(tick);
    };
  }, [retryAt, retrying, retryNow]);

  useEffect(() => {
    if (!waitingForTab) return;
    const whenShown = () => {
      if (!document.hidden) retryNow();
    };
    document.addEventListener("visibilitychange", whenShown);
    return () => document.removeEventListener("visibilitychange", whenShown);
  }, [waitingForTab, retryNow]);

  const secondsLeft = retryAt === null ? null : Math.max(0, Math.ceil((retryAt - now) / 1000));
  return (
    <section aria-labelledby="server-trouble-title" aria-busy={retrying} className="mx-auto max-w-md py-16 text-center">
      <h1 id="server-trouble-title" ref={heading} tabIndex={-1} className="text-3xl font-bold focus:outline-none">
        This page could not load
      </h1>
      <p role="alert" className="mt-2 text-slate-600">
        {digest
          ? "Something went wrong on the server. Clicks it already confirmed are safe."
          : "Something went wrong in this page. Clicks the server already confirmed are safe."}
      </p>
      <button
        type="button"
        // aria-disabled rather than disabled: the button keeps the keyboard's focus meanwhile.
        aria-disabled={retrying}
        onClick={() => {
          if (!retrying) retryNow();
        }}
        className="mt-6 rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 aria-disabled:cursor-wait aria-disabled:opacity-70 aria-disabled:hover:bg-indigo-600"
      >
        {retrying ? "Trying…" : "Try again"}
      </button>
      <p className="mt-3 text-sm text-slate-500">{countdownText(secondsLeft, waitingForTab, retrying)}</p>
      {digest ? (
        <p className="mt-6 text-xs text-slate-400">
          Reference for the operator: <code>{digest}</code>
        </p>
      ) : null}
    </section>
  );
}
