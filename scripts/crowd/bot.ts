// One bot player of `npm run crowd`: joins through the invite link as a guest (waiting out 429s),
// keeps a socket subscribed to the game channel so that presence shows it, clicks through the
// HTTP API about `rate` batches a second with jitter, and leaves the game when told to stop.
import { randomInt, randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import type { CrowdStats } from "./stats";

const joined = z.object({ gameId: z.number().int().positive(), user: z.object({ id: z.number().int().positive(), username: z.string() }) });
const subscribeAck = z.object({ granted: z.array(z.string()) });
const MAX_CLICKS_PER_BATCH = 5;

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done);
  });
}

/** Seconds from a Retry-After header (1 when absent or unreadable). */
function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get("retry-after"));
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000;
}

export class Bot {
  private cookie = "";
  private gameId = 0;
  private userId = 0;
  private socket: Socket | null = null;

  constructor(
    private readonly origin: string,
    private readonly code: string,
    private nickname: string,
    private readonly stats: CrowdStats,
  ) {}

  /** Joins as a guest; false when stopped first. Throws when the link itself is refused. */
  async join(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      const response = await fetch(`${this.origin}/api/invites/${this.code}/guests`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ nickname: this.nickname }) });
      if (response.status === 429) {
        this.stats.limited += 1;
        await pause(retryAfterMs(response), signal);
        continue;
      }
      if (response.status === 409) {
        this.nickname = `${this.nickname.slice(0, 26)}-${randomInt(10_000)}`;
        continue;
      }
      if (response.status !== 201) throw new Error(`joining failed with ${response.status}: ${await response.text()}`);
      const session = response.headers.getSetCookie().map((line) => line.split(";")[0] ?? "").find((pair) => /^(__Secure-)?authjs\.session-token=/.test(pair));
      if (!session) throw new Error("the server answered without a session cookie");
      const answer = joined.parse(await response.json());
      Object.assign(this, { cookie: session, gameId: answer.gameId, userId: answer.user.id });
      this.stats.joined += 1;
      return true;
    }
    return false;
  }

  /** A socket subscribed to the game channel (re-subscribing after every reconnect). */
  connect(): void {
    const socket = io(this.origin, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie: this.cookie } });
    socket.on("connect", () => {
      socket.emit("subscribe", { channels: [`game:${this.gameId}`] }, (ack: unknown) => {
        const parsed = subscribeAck.safeParse(ack);
        if (parsed.success && parsed.data.granted.length === 1) this.stats.present += 1;
        else this.stats.error("subscribe refused");
      });
    });
    socket.on("disconnect", () => (this.stats.present = Math.max(0, this.stats.present - 1)));
    this.socket = socket;
  }

  private headers(): Record<string, string> {
    return { cookie: this.cookie, origin: this.origin, "content-type": "application/json" };
  }

  /** One batch: 1–5 clicks with a fresh batch id; answers how long to wait before the next. */
  private async clickOnce(rate: number): Promise<number> {
    const interval = 1000 / rate;
    this.stats.sent += 1;
    try {
      const body = JSON.stringify({ count: 1 + randomInt(MAX_CLICKS_PER_BATCH), batchId: randomUUID() });
      const response = await fetch(`${this.origin}/api/games/${this.gameId}/clicks`, { method: "POST", headers: this.headers(), body });
      await response.arrayBuffer();
      if (response.ok) this.stats.acknowledged += 1;
      else if (response.status === 429) {
        this.stats.limited += 1;
        return retryAfterMs(response);
      } else this.stats.error(`clicks answered ${response.status}`);
    } catch (error) {
      this.stats.error(error instanceof Error ? error.message : String(error));
    }
    // Jitter (0.5–1.5 × the interval) so that fifty bots do not click in lockstep.
    return interval * (0.5 + Math.random());
  }

  async clickUntilStopped(rate: number, signal: AbortSignal): Promise<void> {
    await pause(Math.random() * (1000 / rate), signal);
    while (!signal.aborted) await pause(await this.clickOnce(rate), signal);
  }

  /** Leaves the game (its clicks stay in the total) and closes the socket. */
  async leave(): Promise<void> {
    if (this.userId === 0) return;
    try {
      const response = await fetch(`${this.origin}/api/games/${this.gameId}/members/${this.userId}`, { method: "DELETE", headers: this.headers() });
      if (response.status === 204) this.stats.left += 1;
      else this.stats.error(`leaving answered ${response.status}`);
    } catch (error) {
      this.stats.error(error instanceof Error ? error.message : String(error));
    } finally {
      this.socket?.disconnect();
    }
  }
}
