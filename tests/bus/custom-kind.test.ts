// A channel kind the app does not have, declared the way docs/bus.md tells another Next.js app
// to declare one (`note:<id>`, shared with chosen users), goes the whole way through the bus
// with only its public API: authorize, store in the transaction, emit after commit, replay in
// the ack, and live revocation.
import { describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth/users";
import type { ChannelKind } from "@/lib/bus/channel-kinds";
import {
  busHarnessForFile,
  nextNotification,
  nextRevoked,
  record,
  subscribe,
  subscribeOk,
  type TestUser,
} from "../support/bus-harness";

type NoteChannel = `note:${number}`;
type NoteEvents = { edited: { text: string; by: string } };

declare module "@/lib/bus/events" {
  interface ChannelTypes {
    note: { channel: NoteChannel; events: NoteEvents };
  }
}

/** Who may read each note: the test's stand-in for the app's own table. */
const readers = new Map<string, Set<number>>();
const noteKind: ChannelKind<SessionUser> = {
  kind: "note",
  id: /^[1-9]\d{0,15}$/,
  authorize: (user, id) => readers.get(id ?? "")?.has(user.id) ?? false,
};

const h = busHarnessForFile({ kinds: [noteKind] });

async function editNote(channel: NoteChannel, text: string, by: TestUser): Promise<void> {
  await h.lib.transact.transact(async ({ announce }) => announce(channel, "edited", { text, by: by.username }));
}

describe("a channel kind registered by the app", () => {
  it("is authorized, stored, emitted, replayed and revoked like the app's own", async () => {
    const [alice, bob, mallory] = await Promise.all([h.user("alice"), h.user("bob"), h.user("mallory")]);
    const channel: NoteChannel = "note:7";
    readers.set("7", new Set([alice.id, bob.id]));
    const [bobTab, malloryTab] = await Promise.all([h.connect(bob), h.connect(mallory)]);

    const granted = await subscribeOk(bobTab, { channels: [channel] });
    expect(granted).toMatchObject({ granted: [channel], denied: [] });
    // The same denial for a note she may not read and for one that does not exist.
    expect(await subscribe(malloryTab, { channels: [channel, "note:8"] })).toMatchObject({
      granted: [],
      denied: [channel, "note:8"],
    });
    expect(await subscribe(malloryTab, { channels: ["note:07"] })).toMatchObject({ granted: [], denied: ["note:07"] });
    const mallorySees = record(malloryTab);

    const live = nextNotification(bobTab, (n) => n.channel === channel);
    await editNote(channel, "first draft", alice);
    expect(await live).toMatchObject({
      channel,
      event: "edited",
      payload: { text: "first draft", by: alice.username },
      id: expect.any(Number),
    });

    await h.close(bobTab);
    await editNote(channel, "second draft", alice);
    await editNote(channel, "final", alice);
    const back = await h.connect(bob);
    const replay = await subscribeOk(back, { channels: [channel], last: (await live).id ?? 0 });
    expect(replay.notifications?.map((n) => n.payload)).toEqual([
      { text: "second draft", by: alice.username },
      { text: "final", by: alice.username },
    ]);

    readers.get("7")?.delete(bob.id);
    const revoked = nextRevoked(back);
    h.lib.revoke.revokeUserFromChannel(bob.id, channel, "removed");
    expect(await revoked).toEqual({ channel, reason: "removed" });
    const afterRevocation = record(back);
    await editNote(channel, "after bob left", alice);
    await h.sync(back, malloryTab);
    expect(afterRevocation.notifications.filter((n) => n.channel === channel)).toEqual([]);
    expect(mallorySees.notifications.filter((n) => n.channel === channel)).toEqual([]);
    expect(await subscribe(back, { channels: [channel] })).toMatchObject({ denied: [channel] });
  });
});
