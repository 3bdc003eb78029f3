// The crowd's HTTP client: node:http(s) with one keep-alive pool for every bot. With thousands of
// bots sharing two cores with the server, fetch costs several times more CPU per request.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";

export type Answer = { status: number; headers: IncomingHttpHeaders; text: string };

/** A request that gets no answer in this time is an error (the bot keeps its batch and retries). */
const REQUEST_TIMEOUT_MS = 30_000;

export class HttpClient {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;

  constructor(origin: string) {
    const secure = origin.startsWith("https:");
    // No cap on connections: each bot has at most one request in flight, like a phone.
    const options = { keepAlive: true, maxFreeSockets: 1024, timeout: REQUEST_TIMEOUT_MS };
    this.agent = secure ? new HttpsAgent(options) : new HttpAgent(options);
    this.send = secure ? httpsRequest : httpRequest;
  }

  request(method: string, url: string, headers: Record<string, string>, body?: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const sized = body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
      const req = this.send(url, { method, agent: this.agent, headers: sized, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      });
      req.on("timeout", () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
      req.on("error", reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Milliseconds from a Retry-After header (1 s when absent or unreadable). */
export function retryAfterMs(answer: Answer): number {
  const seconds = Number(answer.headers["retry-after"]);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
}
