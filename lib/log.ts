// The process logger (pino). Secrets, cookies and tokens are redacted wherever they appear.
import pino from "pino";
import { logLevel } from "@/lib/config/env";
import { processSingleton } from "@/lib/runtime/process-singleton";

function createLogger() {
  return pino({
    level: logLevel(),
    base: undefined,
    redact: {
      paths: [
        "*.password",
        "*.token",
        "*.cookie",
        "*.authorization",
        "*.secret",
        "headers.cookie",
        "headers.authorization",
      ],
      censor: "[redacted]",
    },
  });
}

declare module "@/lib/runtime/process-singleton" {
  interface ProcessSingletons {
    logger: ReturnType<typeof createLogger>;
  }
}

export const log = processSingleton("logger", createLogger);
