// The order in which one node runs its transactions' after-commit steps: the order their ids
// were drawn in. Ids are drawn in commit order (store.ts), but two commits' answers come back on
// two connections, and a busy database backend can answer the later one first.
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/runtime/process-singleton";

/**
 * How long a later transaction waits for an earlier one's commit to answer. Its commit normally
 * follows its insert at once; one that hangs (a connection gone silent) must not stall this
 * node's bus, so it is overtaken, and its steps run whenever its answer comes.
 */
export const OVERTAKE_AFTER_MS = 2000;

/** A transaction's place in line, taken once its ids are drawn. */
export type EmitTurn = {
  /** The commit answered: `steps` (the emits and effects) runs in turn; null when it failed. */
  settle: (steps: (() => void) | null) => void;
};

type Place = { settled: boolean; steps: (() => void) | null; overtaken: boolean };

/** The line of one node (the process has one; tests make their own). */
export class EmitLine {
  private readonly line: Place[] = [];
  private timer: NodeJS.Timeout | undefined;
  private watched: Place | undefined;

  constructor(private readonly overtakeAfterMs = OVERTAKE_AFTER_MS) {}

  take(): EmitTurn {
    const place: Place = { settled: false, steps: null, overtaken: false };
    this.line.push(place);
    return {
      settle: (steps) => {
        if (place.settled) return;
        place.settled = true;
        if (place.overtaken) return run(steps);
        place.steps = steps;
        this.runReady();
      },
    };
  }

  /** Transactions in line: taken and not yet run (or overtaken). */
  get length(): number {
    return this.line.length;
  }

  private runReady(): void {
    for (let head = this.line[0]; head?.settled; head = this.line[0]) {
      this.line.shift();
      run(head.steps);
    }
    this.watchHead();
  }

  /**
   * A settled turn waits behind an unsettled head: the head gets overtakeAfterMs from when it
   * first held someone up (not from the latest settle, or a busy node would never go past it).
   */
  private watchHead(): void {
    const head = this.line[0];
    const holdsUp = head !== undefined && this.line.some((place) => place.settled);
    if (holdsUp && this.watched === head) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.watched = holdsUp ? head : undefined;
    if (!holdsUp) return;
    this.timer = setTimeout(() => {
      this.watched = undefined;
      if (this.line[0] !== head) return;
      head.overtaken = true;
      this.line.shift();
      this.runReady();
    }, this.overtakeAfterMs);
    this.timer.unref();
  }
}

/** One transaction's steps; a throwing one must not keep the turns behind it from running. */
function run(steps: (() => void) | null): void {
  try {
    steps?.();
  } catch (error) {
    log.error({ err: error }, "an after-commit step failed");
  }
}

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "bus:emit-order": EmitLine;
  }
}

const processLine = () => processSingleton("bus:emit-order", () => new EmitLine());

/**
 * Takes this node's next turn. Call it inside the transaction right after its ids are drawn:
 * while the transaction holds the order lock no other one can draw ids, so turns follow ids.
 */
export function takeEmitTurn(): EmitTurn {
  return processLine().take();
}
