// Whose bus a tab is on: the personal channel of the signed-in user (the one every socket of
// theirs joins on connect, `user:<id>` here) and the session epoch of its server render. The
// SharedWorker's name carries both, so tabs of different users (or of a session that was signed
// out everywhere) can never share a worker, its socket or its channels.

export type BusIdentity = { personalChannel: string; epoch: number };

const PREFIX = "clickbus-bus";
// The channel grammar (docs/protocol.md#channel-names), a kind with an id: a personal channel
// always has one.
const NAME = /^clickbus-bus:([a-z][a-z0-9_-]*:[A-Za-z0-9_-]{1,64}):e(\d{1,15})$/;

export function workerName(identity: BusIdentity): string {
  return `${PREFIX}:${identity.personalChannel}:e${identity.epoch}`;
}

/** The identity a worker was started for, from its own name; null for a name that is not ours. */
export function parseWorkerName(name: string): BusIdentity | null {
  const match = NAME.exec(name);
  if (!match?.[1]) return null;
  return { personalChannel: match[1], epoch: Number(match[2]) };
}

/** The same identity as a comparable string; `signed-out` for a page rendered without a session. */
export function identityKey(identity: BusIdentity | null): string {
  return identity ? workerName(identity) : "signed-out";
}
