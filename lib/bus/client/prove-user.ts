// After each connect, before anything else is subscribed: the socket must be granted the page's
// user's personal channel. The cookie may have changed since the page was rendered (signed in as
// someone else in another tab), and a socket of another user must not feed this page.
import type { BusSocket } from "./bus-socket";
import { subscribeAnswerSchema } from "./wire-schemas";

export function proveUser(socket: BusSocket, personalChannel: string, done: (proven: boolean) => void): void {
  socket.emit("subscribe", { channels: [personalChannel] }, (raw) => {
    const answer = subscribeAnswerSchema.safeParse(raw);
    done(answer.success && "granted" in answer.data && answer.data.granted.includes(personalChannel));
  });
}
