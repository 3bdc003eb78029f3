// Next's hooks: a page render that failed because the database is away records the outage
// (logged once), so that lib/server/outage-status.ts answers that page 503, not 500.
import type { Instrumentation } from "next";

let onRenderFailure: ((error: unknown) => void) | undefined;

export async function register(): Promise<void> {
  // Node only: Next compiles this file for the edge runtime too, where the logger cannot load.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { noteIfDatabaseUnavailable } = await import("@/lib/runtime/database-outage");
  onRenderFailure = noteIfDatabaseUnavailable;
}

// Next calls this a few awaits after React's error handler, usually but not surely before the
// page's status is written: the session read of the root layout records an outage where it fails
// (lib/auth/current-user.ts), this covers the reads of pages without a session.
export const onRequestError: Instrumentation.onRequestError = (error) => {
  onRenderFailure?.(error);
};
