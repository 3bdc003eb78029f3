// GroupCommit (lib/runtime/group-commit.ts) with a real asynchronous writer: the first write goes
// alone, the ones that arrive while it is in flight go together next, each keeps its own answer,
// and a write refused inside a group fails alone while a thrown group fails all of its writes.
import { describe, expect, it } from "vitest";
import { GroupCommit, type GroupAnswer } from "@/lib/runtime/group-commit";

/** A writer that records each group and holds it until released. */
function heldWriter() {
  const groups: number[][] = [];
  const releases: (() => void)[] = [];
  const commit = async (items: readonly number[]): Promise<GroupAnswer<string>[]> => {
    groups.push([...items]);
    await new Promise<void>((resolve) => releases.push(resolve));
    if (items.includes(-1)) throw new Error("the transaction failed");
    return items.map((item) =>
      item === 0 ? { ok: false, error: new Error("zero refused") } : { ok: true, value: `wrote ${item}` },
    );
  };
  const releaseNext = () => releases.shift()?.();
  return { groups, commit, releaseNext, pending: () => releases.length };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe("group commit", () => {
  it("commits the first write alone and those that arrived meanwhile together, each with its own answer", async () => {
    const writer = heldWriter();
    const group = new GroupCommit(writer.commit);
    const first = group.submit(1);
    await until(() => writer.pending() === 1);
    const later = [2, 3, 4].map((item) => group.submit(item));
    expect(group.waiting).toBe(3);
    writer.releaseNext();
    await expect(first).resolves.toBe("wrote 1");
    await until(() => writer.pending() === 1);
    writer.releaseNext();
    await expect(Promise.all(later)).resolves.toEqual(["wrote 2", "wrote 3", "wrote 4"]);
    expect(writer.groups).toEqual([[1], [2, 3, 4]]);
  });

  it("fails a refused write alone, and every write of a group that throws", async () => {
    const writer = heldWriter();
    const group = new GroupCommit(writer.commit, 2);
    const blocker = group.submit(9);
    await until(() => writer.pending() === 1);
    const refusedWithOthers = [group.submit(0), group.submit(5)];
    const failedGroup = [group.submit(-1), group.submit(6)];
    writer.releaseNext();
    await blocker;
    await until(() => writer.pending() === 1);
    writer.releaseNext();
    await expect(refusedWithOthers[0]).rejects.toThrow("zero refused");
    await expect(refusedWithOthers[1]).resolves.toBe("wrote 5");
    await until(() => writer.pending() === 1);
    writer.releaseNext();
    for (const failed of failedGroup) await expect(failed).rejects.toThrow("the transaction failed");
    // maxGroup 2 split the four waiting writes into two transactions.
    expect(writer.groups).toEqual([[9], [0, 5], [-1, 6]]);
  });
});
