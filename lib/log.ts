// The process logger (pino). Secrets, cookies and tokens are redacted wherever they appear.
import pino from "pino";
import { env } from "@/lib/config/env";
import { processSingleton } from "@/lib/runtime/process-singleton";

export const log = processSingleton("logger", () =>
  pino({
    level: env().LOG_LEVEL,
    base: undefined,
    redact: {
      paths: ["*.password", "*.token", "*.cookie", "*.authorization", "*.secret", "headers.cookie", "headers.authorization"],
      censor: "[redacted]",
    },
  }),
);
