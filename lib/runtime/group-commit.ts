// Group commit: writes that arrive while one is in flight wait and then go together, so a node
// under load commits many small writes in one transaction instead of queueing one transaction
// each. The first write after a quiet spell goes at once; each write keeps its own answer.

/** One write's answer inside a group: its value, or the error only it gets. */
export type GroupAnswer<O> = { ok: true; value: O } | { ok: false; error: unknown };

type Waiting<I, O> = { item: I; resolve: (value: O) => void; reject: (error: unknown) => void };

export class GroupCommit<I, O> {
  private queue: Waiting<I, O>[] = [];
  private inFlight = false;

  /**
   * `commit` writes a group in one transaction and answers each item in order; when it throws,
   * every item of the group gets that error. `maxGroup` bounds a transaction's size (and so how
   * long it holds the writer).
   */
  constructor(
    private readonly commit: (items: readonly I[]) => Promise<readonly GroupAnswer<O>[]>,
    private readonly maxGroup = 256,
  ) {}

  /** Writes `item` with whatever else arrives meanwhile; resolves with its own answer. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.inFlight) void this.drain();
    });
  }

  /** Writes waiting for the group in flight to commit. */
  get waiting(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    this.inFlight = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        await this.commitGroup(group);
      }
    } finally {
      this.inFlight = false;
    }
  }

  private async commitGroup(group: Waiting<I, O>[]): Promise<void> {
    let answers: readonly GroupAnswer<O>[];
    try {
      answers = await this.commit(group.map((waiting) => waiting.item));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
      return;
    }
    group.forEach((waiting, index) => {
      const answer = answers[index];
      if (!answer) waiting.reject(new Error("a group commit answered fewer items than it was given"));
      else if (answer.ok) waiting.resolve(answer.value);
      else waiting.reject(answer.error);
    });
  }
}
