// A keep-alive HTTP/1.1 client for the load generator: node:http is much cheaper per request
// than fetch, and the bench shares two cores with the server it measures.
import { Agent, request, type IncomingHttpHeaders } from "node:http";
import { KEEP_ALIVE_MS } from "@/lib/server/connections";

/**
 * When each step of a request ended, in ms from the call: a socket assigned (the agent may queue
 * the request), the request written to it, the answer's head and its end. A slow answer's phases
 * say whether it waited in this process or on the other side of the socket.
 */
export type RequestPhases = { socketMs: number; writtenMs: number; headMs: number; endMs: number };

/**
 * `connectMs`: how long the TCP connect took when the request opened a connection, else 0.
 * `answeredAt`: when the server wrote the answer's head (its probe's x-bench-answered stamp, on this
 * process's performance clock), or when the head arrived from a server without the probe.
 */
export type HttpAnswer = {
  status: number;
  text: string;
  headers: IncomingHttpHeaders;
  connectMs: number;
  phases: RequestPhases;
  answeredAt: number;
};

/** The server probe's stamp (epoch ms) on this process's performance clock, if there is one. */
function stampedAnswer(headers: IncomingHttpHeaders): number | undefined {
  const stamp = Number(headers["x-bench-answered"]);
  return Number.isFinite(stamp) && stamp > 0 ? stamp - performance.timeOrigin : undefined;
}

/**
 * Both servers close a kept-alive connection after KEEP_ALIVE_MS without a request
 * (lib/server/connections.ts); a pooled one idle that long could be reused just as the server
 * closed it, and the request failed with "socket hang up" (seen on the baseline, idle during
 * Clickbus's turn, under a load average of 5). The agent drops its idle connections before that,
 * and keeps them while a paced guest waits, as a phone's browser does.
 */
const IDLE_CONNECTION_MS = KEEP_ALIVE_MS - 5000;

/** One agent per target: enough pooled connections for the highest concurrency of a run. */
export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: IDLE_CONNECTION_MS });
}

/** POSTs `body` and reads the whole answer as text (no compression is asked for). */
export function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<HttpAnswer> {
  return send(agent, url, "POST", { ...headers, "content-length": String(Buffer.byteLength(body)) }, body);
}

/** GETs `url` and reads the whole answer as text. */
export function get(agent: Agent, url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return send(agent, url, "GET", headers);
}

function send(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let connectMs = 0;
    const started = performance.now();
    const since = () => performance.now() - started;
    const phases: RequestPhases = { socketMs: 0, writtenMs: 0, headMs: 0, endMs: 0 };
    // When it was sent, on the wall clock both processes share: the server's probe splits its wait.
    const sent = String(performance.timeOrigin + started);
    const req = request(url, { method, agent, headers: { ...headers, "x-bench-sent": sent } }, (res) => {
      phases.headMs = since();
      const answeredAt = stampedAnswer(res.headers) ?? performance.now();
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        phases.endMs = since();
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString("utf8"),
          headers: res.headers,
          connectMs,
          phases,
          answeredAt,
        });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.on("finish", () => (phases.writtenMs = since()));
    req.on("socket", (socket) => {
      phases.socketMs = since();
      if (!socket.connecting) return;
      const connecting = performance.now();
      socket.once("connect", () => (connectMs = performance.now() - connecting));
    });
    req.end(body);
  });
}
