// Where the bots' sockets come from. A node caps sockets per client address (SOCKETS_PER_ADDRESS,
// default 1000), which a rehearsal of 2,000 bots from this machine would hit though no real room
// does it from one phone. Linux answers on all of 127.0.0.0/8, so against a server on this
// machine the sockets are spread over 127.0.0.2, 127.0.0.3, … (127.0.0.1 stays the presenter's).
import { lookup } from "node:dns/promises";
import { connect } from "node:net";

export const SOCKETS_PER_SOURCE = 500;

/** Whether a connection from `source` to `host:port` opens (a server bound to ::1 only refuses). */
function reachableFrom(source: string, host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, localAddress: source, family: 4 });
    socket.setTimeout(2000);
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

/** The source address for the socket of bot `index`, or undefined: the system's choice. */
export async function sourceAddresses(origin: string): Promise<(index: number) => string | undefined> {
  const url = new URL(origin);
  const system = () => undefined;
  const addresses = await lookup(url.hostname.replace(/^\[|\]$/g, ""), { all: true }).catch(() => []);
  const loopback = addresses.find((entry) => entry.family === 4 && entry.address.startsWith("127."));
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  if (!loopback || !(await reachableFrom("127.0.0.2", loopback.address, port))) return system;
  return (index) => `127.0.0.${2 + (Math.floor(index / SOCKETS_PER_SOURCE) % 250)}`;
}
