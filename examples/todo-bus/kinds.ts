// The to-do example's channels: `list:<id>` (a shared list, for its members) and each person's
// own `person:<name>`. Its users are named by strings, not numbers: the bus takes either.
import type { ChannelKind, ChannelSetup } from "@/lib/bus/channel-kinds";

export type Person = { id: string; username: string };
export type ListChannel = `list:${string}`;

export type ListEvents = { item_added: { text: string; by: string } };

declare module "@/lib/bus/events" {
  interface ChannelTypes {
    list: { channel: ListChannel; events: ListEvents };
  }
}

/** Who may read which list (the example's whole "database" of memberships). */
export const listMembers = new Map<string, ReadonlySet<string>>([
  ["groceries", new Set(["ann", "bob"])],
  ["secret", new Set(["ann"])],
]);

const listKind: ChannelKind<Person> = {
  kind: "list",
  id: /^[a-z]{1,32}$/,
  presence: true,
  authorize: (person, id) => listMembers.get(id ?? "")?.has(person.id) === true,
};

const personKind: ChannelKind<Person> = {
  kind: "person",
  id: /^[a-z]{1,32}$/,
  authorize: (person, id) => id === person.id,
};

export const todoChannels: ChannelSetup<Person> = {
  kinds: [listKind, personKind],
  personalChannel: (id) => `person:${id}`,
};
