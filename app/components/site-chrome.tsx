"use client";
// The page frame (site header and centred main column) around every route. A full-screen page
// (the presenter screen) hides it while mounted, so nothing of it stays focusable behind; a
// not-found answer on the same path keeps the frame, exactly like any other not-found page.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";

const HideChrome = createContext<(hidden: boolean) => void>(() => undefined);

export function SiteChrome({ header, children }: { header: ReactNode; children: ReactNode }) {
  const [hidden, setHidden] = useState(false);
  return (
    <HideChrome.Provider value={setHidden}>
      {hidden ? null : header}
      <main className={hidden ? "" : "mx-auto w-full max-w-5xl px-4 py-6 sm:py-10"}>{children}</main>
    </HideChrome.Provider>
  );
}

/** Hides the site's frame while the calling component is mounted. */
export function useHideSiteChrome(): void {
  const setHidden = useContext(HideChrome);
  useEffect(() => {
    setHidden(true);
    return () => setHidden(false);
  }, [setHidden]);
}
