// What every browser-side bus looks like to React: the tab's own socket (BusClient) and the
// SharedWorker's socket seen through a MessagePort (SharedBus) both implement `Bus`.
import type { RevokedMessage, WireNotification } from "../events";

export type BusStatus = "connected" | "reconnecting" | "offline";
export type ChannelState = "subscribing" | "granted" | "denied" | "revoked";
/** `shared`: one socket per browser, owned by a SharedWorker; `tab`: this tab's own socket. */
export type BusTransport = "shared" | "tab";

export type ChannelListener = {
  onNotification: (notification: WireNotification) => void;
  /** The server could not replay everything missed: refetch state. */
  onReset?: () => void;
  onState?: (state: ChannelState, reason?: RevokedMessage["reason"]) => void;
};

export type ListenOptions = {
  /** Cursor of the server render the listener shows: it gets exactly the ids above it. */
  since?: number;
  /** false: follow without appearing in the channel's presence. */
  presence?: boolean;
};

export interface Bus {
  readonly status: BusStatus;
  onStatus(listener: (status: BusStatus) => void): () => void;
  /** Follows `channel` until the returned function is called. */
  listen(channel: string, listener: ChannelListener, options?: ListenOptions): () => void;
  /** The browser's online/offline events (the socket reconnects by itself). */
  setBrowserOnline(online: boolean): void;
  close(): void;
}

/** Why a bus gave up its session: the tab must re-render from the server (sign-in page or new user). */
export type SessionEnd = "signed_out" | "unauthorized" | "other_user";
