// Picks a tab's bus (docs/protocol.md#one-connection-per-browser): the browser's one connection,
// through the SharedWorker of this user and session, where the browser has SharedWorker;
// otherwise a socket of the tab's own.
import { BusClient } from "./bus-client";
import { openBusSocket } from "./bus-socket";
import { workerName, type BusIdentity } from "./identity";
import { SharedBus } from "./shared-bus";
import type { Bus, BusTransport, SessionEnd } from "./types";

export type OpenedBus = { bus: Bus; transport: BusTransport; shared: SharedBus | null };
export type OpenBusHandlers = { onSessionEnded: (reason: SessionEnd) => void; onUnavailable: () => void };

function openShared(identity: BusIdentity, handlers: OpenBusHandlers): SharedBus | null {
  // Missing on Chrome for Android and in some embedded browsers.
  if (typeof SharedWorker === "undefined") return null;
  const name = workerName(identity);
  try {
    return new SharedBus({
      ...handlers,
      connect: () => {
        // Written out in full so that Turbopack bundles the worker (vercel/next.js#88602): the
        // URL is content-hashed, so tabs of another deployment get another worker.
        const worker = new SharedWorker(new URL("./bus-worker.ts", import.meta.url), { name });
        // Fired when the script cannot be loaded or started.
        worker.addEventListener("error", handlers.onUnavailable);
        return worker.port;
      },
    });
  } catch {
    // A SecurityError (e.g. storage blocked for this origin): fall back.
    return null;
  }
}

/** `preferTab`: the shared worker already failed in this tab. */
export function openBus(identity: BusIdentity, handlers: OpenBusHandlers, preferTab: boolean): OpenedBus {
  const shared = preferTab ? null : openShared(identity, handlers);
  if (shared) return { bus: shared, transport: "shared", shared };
  const own = new BusClient(openBusSocket("tab"), {
    personalChannel: identity.personalChannel,
    onSessionEnded: handlers.onSessionEnded,
  });
  return { bus: own, transport: "tab", shared: null };
}
