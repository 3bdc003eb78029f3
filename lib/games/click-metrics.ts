// The game's own metrics, on the bus's registry: click batches answered, counted once or repeated,
// and how long each took from reaching addClicks to its answer (the node's share of an answer).
import { Counter, Histogram } from "prom-client";
import { metrics } from "@/lib/bus/metrics";
import { processSingleton } from "@/lib/runtime/process-singleton";

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "click-batches-counter": Counter<"outcome">;
    "click-answer-histogram": Histogram;
  }
}

export function clickBatchesCounter(): Counter<"outcome"> {
  return processSingleton(
    "click-batches-counter",
    () =>
      new Counter({
        name: "clickbus_click_batches_total",
        help: "Click batches answered: counted, or a retry already counted",
        labelNames: ["outcome"],
        registers: [metrics().registry],
      }),
  );
}

/**
 * Seconds from a batch reaching addClicks to its answer: set beside a client's answer time, it
 * says whether a slow answer waited in the click path or before it (HTTP, the action's framework).
 */
export function clickAnswerHistogram(): Histogram {
  return processSingleton(
    "click-answer-histogram",
    () =>
      new Histogram({
        name: "clickbus_click_answer_seconds",
        help: "Time from a click batch reaching addClicks to its answer",
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [metrics().registry],
      }),
  );
}
