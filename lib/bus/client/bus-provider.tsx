"use client";
// BusProvider gives the tab its bus: the browser's shared connection (SharedWorker) or, where
// that is missing or fails, a socket of its own; the hooks read it from context. When the bus
// says the session is over, the tab re-renders from the server and connects again.
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { BusIdentity } from "./identity";
import { openBus } from "./open-bus";
import type { Bus, BusTransport } from "./types";

export type BusContextValue = { bus: Bus; transport: BusTransport };

const BusContext = createContext<BusContextValue | null>(null);

/**
 * After a session end the re-render normally unmounts the provider (signed out) or remounts it
 * (another user: the layout keys it by identity). Still mounted after this long means the same
 * session is still valid, so the bus connects again; the pause keeps a refusing server from
 * being hammered.
 */
const RECONNECT_AFTER_SESSION_END_MS = 3000;

export function BusProvider({ identity, children }: { identity: BusIdentity; children: ReactNode }) {
  const router = useRouter();
  const refresh = useRef(() => router.refresh());
  const [value, setValue] = useState<BusContextValue | null>(null);
  const [generation, setGeneration] = useState(0);
  const [sharedFailed, setSharedFailed] = useState(false);
  const { personalChannel, epoch } = identity;

  useEffect(() => {
    refresh.current = () => router.refresh();
  }, [router]);

  useEffect(() => {
    let again: ReturnType<typeof setTimeout> | undefined;
    const opened = openBus(
      { personalChannel, epoch },
      {
        onSessionEnded: () => {
          refresh.current();
          again ??= setTimeout(() => setGeneration((count) => count + 1), RECONNECT_AFTER_SESSION_END_MS);
        },
        onUnavailable: () => setSharedFailed(true),
      },
      sharedFailed,
    );
    const { bus, shared } = opened;
    bus.setBrowserOnline(navigator.onLine);
    const online = () => bus.setBrowserOnline(true);
    const offline = () => bus.setBrowserOnline(false);
    // Ports have no close event: the worker hears "bye" when the page goes (or into the
    // back/forward cache), and the tab listens again if it comes back.
    const pagehide = () => shared?.suspend();
    const pageshow = (event: PageTransitionEvent) => event.persisted && shared?.resume();
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    window.addEventListener("pagehide", pagehide);
    window.addEventListener("pageshow", pageshow);
    // The bus only exists in the browser, so it is created in an effect and handed to
    // consumers through state; they render "connecting" until then.
    setValue({ bus, transport: opened.transport });
    return () => {
      clearTimeout(again);
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
      window.removeEventListener("pagehide", pagehide);
      window.removeEventListener("pageshow", pageshow);
      bus.close();
    };
  }, [personalChannel, epoch, generation, sharedFailed]);

  return <BusContext.Provider value={value}>{children}</BusContext.Provider>;
}

export function useBusContext(): BusContextValue | null {
  return useContext(BusContext);
}
