"use client";
// Re-renders this tab when another tab of the browser was rendered for another session (see
// lib/bus/client/session-beacon.ts), and tells the others which session this tab has.
import { useRouter } from "next/navigation";
import { useEffect, useTransition } from "react";
import { identityKey, type BusIdentity } from "@/lib/bus/client/identity";
import { sessionBeacon } from "@/lib/bus/client/session-beacon";

export function SessionSync({ identity }: { identity: BusIdentity | null }) {
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const key = identityKey(identity);

  useEffect(() => {
    if (refreshing) return;
    // Announced on mount, on a change, and after every re-render this beacon caused: a tab whose
    // re-render kept its identity corrects a tab that announced a stale one.
    const beacon = sessionBeacon(key, () => startRefresh(() => router.refresh()));
    beacon.announce();
    return () => beacon.close();
  }, [key, refreshing, router]);

  return null;
}
