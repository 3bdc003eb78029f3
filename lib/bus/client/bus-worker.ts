// The SharedWorker entry that owns a browser's one bus connection for one user and session:
// its name says whose (identity.ts), and every tab that connects is served by one TabHub over
// one BusClient, so the socket subscribes each channel once for all of them.
import { BusClient } from "./bus-client";
import { openBusSocket } from "./bus-socket";
import { parseWorkerName } from "./identity";
import { TabHub } from "./tab-hub";

const identity = parseWorkerName(self.name);

if (identity) {
  const hub = new TabHub({
    online: navigator.onLine,
    openBus: (onSessionEnded) =>
      new BusClient(openBusSocket("worker"), { personalChannel: identity.personalChannel, onSessionEnded }),
  });
  addEventListener("connect", (event) => {
    const port = event instanceof MessageEvent ? event.ports[0] : undefined;
    if (port) hub.connect(port);
  });
  addEventListener("online", () => hub.setOnline(true));
  addEventListener("offline", () => hub.setOnline(false));
}
// A worker whose name is not a bus identity serves nobody: its tabs hear nothing, time out and
// fall back to sockets of their own.
