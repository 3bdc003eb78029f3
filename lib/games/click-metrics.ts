// The game's own metric, on the bus's registry: click batches answered, counted once or repeated.
import { Counter } from "prom-client";
import { metrics } from "@/lib/bus/metrics";
import { processSingleton } from "@/lib/runtime/process-singleton";

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    "click-batches-counter": Counter<"outcome">;
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
