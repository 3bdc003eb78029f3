// Whose bus a tab is on: the signed-in user and session epoch of its server render. The
// SharedWorker's name carries them, so tabs of different users (or of a session that was signed
// out everywhere) can never share a worker, its socket or its channels.

export type BusIdentity = { userId: number; epoch: number };

const PREFIX = "clickbus-bus";
const NAME = /^clickbus-bus:u(\d{1,15}):e(\d{1,15})$/;

export function workerName(identity: BusIdentity): string {
  return `${PREFIX}:u${identity.userId}:e${identity.epoch}`;
}

/** The identity a worker was started for, from its own name; null for a name that is not ours. */
export function parseWorkerName(name: string): BusIdentity | null {
  const match = NAME.exec(name);
  if (!match) return null;
  return { userId: Number(match[1]), epoch: Number(match[2]) };
}

/** The same identity as a comparable string; `signed-out` for a page rendered without a session. */
export function identityKey(identity: BusIdentity | null): string {
  return identity ? workerName(identity) : "signed-out";
}
