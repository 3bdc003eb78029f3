// One bot player of `npm run crowd`: joins through the invite link as a guest (its turn given by
// the join pacer), keeps one socket subscribed to the game channel so that presence shows it
// (counting what it receives, and the last total it saw), and leaves the game when told to stop.
// Its clicking is in clicker.ts.
import { randomInt } from "node:crypto";
import type { Socket } from "socket.io-client";
import { guestJoined, subscribeAck } from "./answers";
import { retryAfterMs, type Answer, type HttpClient } from "./http";
import type { JoinPacer } from "./join-pacer";
import { notificationHead } from "./light-parser";
import { openSocket, TOTAL_EVENTS } from "./observer";
import type { CrowdStats } from "./stats";

const JOIN_RETRY_MS = 2000;
const isAnswer = (value: unknown): value is Answer =>
  typeof value === "object" && value !== null && "status" in value && "text" in value;

export type Session = { origin: string; http: HttpClient; cookie: string; gameId: number };

export class Bot {
  session: Session | null = null;
  private userId = 0;
  private socket: Socket | null = null;
  /** The highest game total this bot's socket received (what its phone would show). */
  lastTotal = 0;
  private subscribedAt: number | null = null;

  constructor(
    private readonly origin: string,
    private readonly http: HttpClient,
    private readonly code: string,
    private nickname: string,
    private readonly stats: CrowdStats,
  ) {}

  /** Joins as a guest; false when stopped first. Throws when the link itself is refused. */
  async join(pacer: JoinPacer, signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      await pacer.turn(signal);
      if (signal.aborted) break;
      const answer = await this.http
        .request(
          "POST",
          `${this.origin}/api/invites/${this.code}/guests`,
          { "content-type": "application/json" },
          JSON.stringify({ nickname: this.nickname }),
        )
        .catch((error: unknown) => error);
      // A busy node (no answer in time, 5xx) is waited for like a 429; only a refused link ends the crowd.
      if (!isAnswer(answer) || answer.status >= 500) {
        this.stats.error(
          `joining: ${isAnswer(answer) ? `answered ${answer.status}` : answer instanceof Error ? answer.message : String(answer)}`,
        );
        pacer.limited(JOIN_RETRY_MS);
        continue;
      }
      if (answer.status === 429) {
        this.stats.limited += 1;
        pacer.limited(retryAfterMs(answer));
        continue;
      }
      if (answer.status === 409) {
        this.nickname = `${this.nickname.slice(0, 26)}-${randomInt(10_000)}`;
        continue;
      }
      if (answer.status !== 201) throw new Error(`joining failed with ${answer.status}: ${answer.text}`);
      const session = [answer.headers["set-cookie"] ?? []]
        .flat()
        .map((line) => line.split(";")[0] ?? "")
        .find((pair) => /^(__Secure-)?authjs\.session-token=/.test(pair));
      if (!session) throw new Error("the server answered without a session cookie");
      const joined = guestJoined.parse(JSON.parse(answer.text));
      this.session = { origin: this.origin, http: this.http, cookie: session, gameId: joined.gameId };
      this.userId = joined.user.id;
      this.stats.joined += 1;
      pacer.joined();
      return true;
    }
    return false;
  }

  /** A socket subscribed to the game channel (re-subscribing after every reconnect). */
  connect(): void {
    if (!this.session) return;
    const channel = `game:${this.session.gameId}`;
    const socket = openSocket({ origin: this.origin, cookie: this.session.cookie, channel });
    socket.on("connect", () => {
      socket.emit("subscribe", { channels: [channel] }, (ack: unknown) => {
        if (subscribeAck.safeParse(ack).data?.granted.length !== 1) return this.stats.error("subscribe refused");
        this.stats.present += 1;
        this.subscribedAt = performance.now();
      });
    });
    socket.on("notification", (raw: unknown) => {
      const head = notificationHead(raw);
      if (head?.channel !== channel) return;
      const isTotal = head.total !== null && TOTAL_EVENTS.has(head.event);
      // Counted only while the crowd clicks: the rate per bot is that of a playing room.
      if (this.subscribedAt !== null) this.stats.received(head.event, isTotal);
      if (isTotal) this.lastTotal = Math.max(this.lastTotal, head.total ?? 0);
    });
    // The client reconnects by itself; say why it could not, or the "connected" count is a riddle.
    socket.on("connect_error", (error: Error) => this.stats.error(`socket: ${error.message}`));
    socket.on("disconnect", () => {
      this.stats.present = Math.max(0, this.stats.present - 1);
      this.stopCounting();
    });
    this.socket = socket;
  }

  /** Ends the time this bot counts as subscribed (notifications per bot per second). */
  stopCounting(): void {
    if (this.subscribedAt === null) return;
    this.stats.subscribedMs += performance.now() - this.subscribedAt;
    this.subscribedAt = null;
  }

  /** Leaves the game (its clicks stay in the total) and closes the socket. */
  async leave(): Promise<void> {
    if (!this.session) return;
    // Off the channel first: a room's worth of member_left then reaches the real screens only.
    this.socket?.disconnect();
    try {
      const headers = { cookie: this.session.cookie, origin: this.origin };
      const answer = await this.http.request(
        "DELETE",
        `${this.origin}/api/games/${this.session.gameId}/members/${this.userId}`,
        headers,
      );
      if (answer.status === 204) this.stats.left += 1;
      else this.stats.error(`leaving answered ${answer.status}`);
    } catch (error) {
      this.stats.error(error instanceof Error ? error.message : String(error));
    }
  }
}
