// The room's phones and projector: one socket per guest (WebSocket only, no reconnection, the
// light notification decoder of scripts/crowd so that thousands fit in the load generator),
// counting what each receives on the room's channel and the last total it saw; the projector is
// one more socket whose LagMeter says how far its total trails the commits.
import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import { LagMeter } from "@/scripts/crowd/lag-meter";
import { lightParser, notificationHead } from "@/scripts/crowd/light-parser";
import { mapLimit } from "./map-limit";
import type { Room } from "./room-target";
import type { Player } from "./target";

const subscribeAck = z.object({ granted: z.array(z.string()) });
const ACK_TIMEOUT_MS = 60_000;

export type Phone = { socket: Socket; notifications: number; tallies: number; lastTotal: number };

async function openPhone(room: Room, guest: Player, onTotal?: (total: number) => void): Promise<Phone> {
  const socket = io(room.url, {
    path: "/socket.io",
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    parser: lightParser,
    ...room.socketOptions(guest),
  });
  const phone: Phone = { socket, notifications: 0, tallies: 0, lastTotal: 0 };
  socket.on("notification", (raw: unknown) => {
    const head = notificationHead(raw);
    if (head?.channel !== room.channel) return;
    phone.notifications += 1;
    if (head.event !== "tally" || head.total === null) return;
    phone.tallies += 1;
    phone.lastTotal = Math.max(phone.lastTotal, head.total);
    onTotal?.(head.total);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error: Error) => reject(new Error(`connect_error: ${error.message}`)));
  });
  const ack = subscribeAck.parse(
    await socket.timeout(ACK_TIMEOUT_MS).emitWithAck("subscribe", { channels: [room.channel] }),
  );
  if (!ack.granted.includes(room.channel)) throw new Error(`subscribe to ${room.channel} was refused`);
  return phone;
}

export class Phones {
  readonly projector = new LagMeter();
  private constructor(
    readonly phones: Phone[],
    private readonly screen: Phone,
  ) {}

  /** A socket per guest, and the projector (signed in as the first guest, like the presenter's own screen). */
  static async open(room: Room, concurrency: number): Promise<Phones> {
    const meter: { target: LagMeter | null } = { target: null };
    const screenGuest = room.guests[0];
    if (!screenGuest) throw new Error("a room needs a guest");
    const screen = await openPhone(room, screenGuest, (total) => meter.target?.show(total));
    const phones = await mapLimit(room.guests, concurrency, (guest) => openPhone(room, guest));
    const opened = new Phones(phones, screen);
    meter.target = opened.projector;
    return opened;
  }

  /** Resets the counts, so that they cover only the measured window. */
  startCounting(): void {
    for (const phone of this.phones) Object.assign(phone, { notifications: 0, tallies: 0 });
  }

  counts(): { notifications: number; tallies: number } {
    return this.phones.reduce(
      (sum, phone) => ({
        notifications: sum.notifications + phone.notifications,
        tallies: sum.tallies + phone.tallies,
      }),
      { notifications: 0, tallies: 0 },
    );
  }

  onTotal(total: number): { phones: number; projector: boolean } {
    return {
      phones: this.phones.filter((phone) => phone.lastTotal === total).length,
      projector: this.screen.lastTotal === total,
    };
  }

  close(): void {
    for (const phone of [...this.phones, this.screen]) phone.socket.disconnect();
  }
}
