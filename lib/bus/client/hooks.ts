"use client";
// React hooks over the tab's bus: follow a channel for as long as a component is mounted
// (components and tabs on one channel share one subscription), and read the connection status
// and transport.
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { Channel } from "../events";
import type { NotificationOf, RevokedMessage } from "../events";
import { useBusContext } from "./bus-provider";
import type { BusStatus, BusTransport, ChannelState } from "./types";

export type UseBusChannelOptions = {
  /** Cursor of the server render (see latestNotificationId): replay starts after it. */
  since?: number;
  /** false: follow without appearing in the channel's presence. */
  presence?: boolean;
  onReset?: () => void;
};

export type ChannelStatus = { state: ChannelState; reason?: RevokedMessage["reason"] };

export function useBusChannel<C extends Channel>(
  channel: C | null,
  onNotification: (notification: NotificationOf<C>) => void,
  options: UseBusChannelOptions = {},
): ChannelStatus {
  const client = useBusContext()?.bus;
  const [status, setStatus] = useState<ChannelStatus>({ state: "subscribing" });
  // Handlers change every render; the subscription must not.
  const handlers = useRef({ onNotification, onReset: options.onReset });
  useEffect(() => {
    handlers.current = { onNotification, onReset: options.onReset };
  });
  // Only the first render's cursor matters: a later server re-render (router.refresh) brings a
  // newer one, but the live subscription is already caught up past it.
  const since = useRef(options.since);
  const { presence } = options;

  useEffect(() => {
    if (!client || !channel) return;
    return client.listen(
      channel,
      {
        // The server only sends a channel the events of its kind (see events.ts).
        onNotification: (notification) => handlers.current.onNotification(notification as NotificationOf<C>),
        onReset: () => handlers.current.onReset?.(),
        onState: (state, reason) => setStatus({ state, reason }),
      },
      { since: since.current, presence },
    );
  }, [client, channel, presence]);

  return status;
}

const noop = () => () => undefined;

export function useBusStatus(): BusStatus {
  const client = useBusContext()?.bus;
  return useSyncExternalStore(
    client ? (listener) => client.onStatus(listener) : noop,
    () => client?.status ?? "reconnecting",
    () => "reconnecting",
  );
}

/** `shared`: this tab is on the browser's one connection (SharedWorker); `tab`: on its own socket; null until connected. */
export function useBusTransport(): BusTransport | null {
  return useBusContext()?.transport ?? null;
}
