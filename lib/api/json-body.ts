// Reads a request's JSON body: at most MAX_BODY_BYTES (counted while streaming, so a huge or
// lying upload is cut off early), strict UTF-8, valid JSON, then the route's zod schema.
import { z } from "zod";
import { AppError } from "@/lib/runtime/app-error";

export const MAX_BODY_BYTES = 16 * 1024;
/** How much of an oversized upload is read and dropped before the connection is cut. */
export const MAX_DISCARD_BYTES = 8 * 1024 * 1024;

const tooLarge = () => new AppError("too_large", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);

/**
 * Reads and drops the rest of an oversized upload in the background, as Node's body parsers
 * do: cancelling at once would reset the connection before the client could read the 413.
 * Past MAX_DISCARD_BYTES the stream is cancelled after all.
 */
function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  void (async () => {
    let discarded = 0;
    try {
      while (discarded <= MAX_DISCARD_BYTES) {
        const { done, value } = await reader.read();
        if (done) return;
        discarded += value.byteLength;
      }
      await reader.cancel();
    } catch {
      // The client is gone already: nothing left to drain.
    }
  })();
}

/** The raw body, at most MAX_BODY_BYTES (throws `too_large` past it). */
export async function readCapped(request: Request): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      discardRest(reader);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new AppError("invalid_json", "The request body must be valid JSON (UTF-8).");
  }
}

function describe(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

/** The body, parsed by `schema`; throws `too_large`, `invalid_json` or `invalid` otherwise. */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(parseJson(await readCapped(request)));
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  throw new AppError("invalid", first ? describe(first) : "Invalid request body.", {
    fields: z.flattenError(parsed.error).fieldErrors,
  });
}
