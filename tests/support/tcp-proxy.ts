// A TCP proxy between a node and a service it needs (Redis, PostgreSQL) that a test controls: it
// can swallow what the node sends (so the node dies with its last publishes unsent), delay new
// connections (a slow link), hold back the answer to one request (a reply slow on the wire), and
// cut the link (the service gone: open connections reset, new ones refused) until it is restored.
import { connect, createServer, type Socket } from "node:net";

export type TcpProxy = {
  url: string;
  /** From now on, bytes from the node never reach the target: as if still in flight when it dies. */
  swallow: () => void;
  /** New connections reach the target only after `ms`. */
  delayNewConnections: (ms: number) => void;
  /**
   * The next request whose bytes match `request` (read as Latin-1) gets its answer held back:
   * resolves once the answer has come and is held, with the function that lets it through.
   */
  holdNextAnswer: (request: RegExp) => Promise<() => void>;
  /** Resets every open connection and refuses new ones until `restore`. */
  cut: () => void;
  restore: () => void;
  /** `target`'s URL with the proxy's host and port instead (credentials, path and query kept). */
  via: (target: string) => string;
  close: () => Promise<void>;
};

export async function startTcpProxy(target: URL): Promise<TcpProxy> {
  let swallowing = false;
  let cut = false;
  let delayMs = 0;
  let armed: { request: RegExp; held: (release: () => void) => void } | null = null;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    // A side going away closes the other; its error is the test's business, not a crash.
    socket.on("error", () => socket.destroy());
  };
  const server = createServer((client) => {
    if (cut) return client.resetAndDestroy();
    track(client);
    client.pause();
    const link = () => {
      const upstream = connect(Number(target.port), target.hostname);
      track(upstream);
      // This connection's held answer: the bytes, and whom to tell once the first came.
      let holding: { chunks: Buffer[]; held: ((release: () => void) => void) | null } | null = null;
      const release = () => {
        for (const chunk of holding?.chunks ?? []) client.write(chunk);
        holding = null;
      };
      client.on("data", (chunk: Buffer) => {
        // `search`, not `test`: a /g pattern's lastIndex would make `test` skip matches.
        if (armed && !holding && chunk.toString("latin1").search(armed.request) !== -1) {
          holding = { chunks: [], held: armed.held };
          armed = null;
        }
        if (!swallowing) upstream.write(chunk);
      });
      upstream.on("data", (chunk: Buffer) => {
        if (!holding) return client.write(chunk);
        holding.chunks.push(chunk);
        holding.held?.(release);
        holding.held = null;
      });
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
      client.resume();
    };
    if (delayMs > 0) setTimeout(link, delayMs);
    else link();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${port}`,
    swallow: () => (swallowing = true),
    delayNewConnections: (ms) => (delayMs = ms),
    holdNextAnswer: (request) => new Promise((held) => (armed = { request, held })),
    cut: () => {
      cut = true;
      for (const socket of sockets) socket.resetAndDestroy();
    },
    restore: () => (cut = false),
    via: (url) => {
      const proxied = new URL(url);
      proxied.hostname = "127.0.0.1";
      proxied.port = String(port);
      return proxied.toString();
    },
    close: async () => {
      armed = null;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
