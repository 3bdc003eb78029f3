// The node's Prometheus metrics (README.md#metrics): one registry per process, shared by server.ts
// and every Next bundle (actions emit too), read by the metrics listener. Domain code registers its
// own metrics on `metrics().registry` (see lib/games/click-metrics.ts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { processSingleton } from "@/lib/runtime/process-singleton";
import { busServer } from "./io";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const localSockets = () => busServer()?.of("/").sockets;
  return {
    registry,
    sockets: new Gauge({
      name: "clickbus_sockets",
      help: "Connected Socket.IO sockets on this node",
      registers: [registry],
      collect() {
        this.set(localSockets()?.size ?? 0);
      },
    }),
    subscriptions: new Gauge({
      name: "clickbus_subscriptions",
      help: "Channel memberships of this node's sockets (each socket's own user channel included)",
      registers: [registry],
      collect() {
        let total = 0;
        // Every socket is also in a room named after its id, which is no channel.
        for (const socket of localSockets()?.values() ?? []) total += socket.rooms.size - 1;
        this.set(total);
      },
    }),
    emitted: new Counter({
      name: "clickbus_notifications_emitted_total",
      help: "Notifications emitted by this node, stored (after commit) or volatile",
      labelNames: ["kind"] as const,
      registers: [registry],
    }),
    replayed: new Counter({
      name: "clickbus_notifications_replayed_total",
      help: "Stored notifications replayed in subscribe acks",
      registers: [registry],
    }),
    denied: new Counter({
      name: "clickbus_subscribe_denied_total",
      help: "Channels denied to a subscribe",
      registers: [registry],
    }),
    revocations: new Counter({
      name: "clickbus_revocations_total",
      help: "Revocations sent (member removed, game deleted, signed out)",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    accessSweep: {
      pairs: new Gauge({
        name: "clickbus_access_sweep_pairs",
        help: "(user, channel) pairs the last access sweep checked (cluster mode only)",
        registers: [registry],
      }),
      busy: new Histogram({
        name: "clickbus_access_sweep_busy_seconds",
        help: "Event-loop time of each access sweep, all its slices together",
        buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
        registers: [registry],
      }),
      longestSlice: new Histogram({
        name: "clickbus_access_sweep_longest_slice_seconds",
        help: "Longest the event loop was held at once by each access sweep (bounded at about 20 ms)",
        buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.25],
        registers: [registry],
      }),
    },
    commitToEmit: new Histogram({
      name: "clickbus_commit_to_emit_seconds",
      help: "Time from a transaction's commit to the emit of its notification on this node",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
  };
}

export type BusMetrics = ReturnType<typeof createMetrics>;

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "bus-metrics": BusMetrics;
  }
}

/** This process's metrics, created on first use. */
export function metrics(): BusMetrics {
  return processSingleton("bus-metrics", createMetrics);
}
