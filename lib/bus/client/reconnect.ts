// What a dropped and restored connection does to one subscription: on disconnect, what it held
// is delivered and its cursors learn of the gap; on reconnect, it joins again from a cursor low
// enough for every follower.
import { request, type SubscribeRequest } from "./subscribe-batch";
import { releaseFollower, releaseHeld, resumeFrom, type Subscription } from "./subscription";

export function afterDisconnect(subscription: Subscription): void {
  // Live notifications that came are real: delivered (the reconnect drops any repeat).
  releaseHeld(subscription);
  subscription.followers.forEach(releaseFollower);
  subscription.cursor.disconnected();
  for (const follower of subscription.followers) follower.cursor.disconnected();
  subscription.snapshots.clear();
  if (subscription.state === "granted") subscription.state = "subscribing";
}

/** The join that resumes `subscription` after a reconnect; none for a channel revoked or denied. */
export function rejoin(subscription: Subscription): SubscribeRequest | undefined {
  if (subscription.state === "revoked" || subscription.state === "denied") return undefined;
  const last = resumeFrom(subscription);
  subscription.coveredFrom = last;
  subscription.paging = undefined;
  subscription.followers.forEach((follower) => (follower.replayFrom = undefined));
  return request("join", subscription, last);
}
