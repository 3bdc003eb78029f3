// Security headers on every answer of the node, set before Next sees the request: a strict
// Content-Security-Policy with a fresh script nonce per request (Next reads it from the request's
// own CSP header and puts it on its inline scripts), no framing, no MIME sniffing, and a
// referrer that never leaves the origin with a path.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

export type SecurityOptions = { dev: boolean };

/** The policy for one response; `dev` adds what hot reload needs (eval, its own socket). */
export function contentSecurityPolicy(nonce: string, { dev }: SecurityOptions): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts Next's nonced bootstrap loads (chunks, the bus worker) may run.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and Tailwind set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function applySecurityHeaders(req: IncomingMessage, res: ServerResponse, options: SecurityOptions): void {
  const policy = contentSecurityPolicy(randomBytes(16).toString("base64"), options);
  // Next takes the nonce from the request's header; whatever a client sent there is replaced.
  req.headers["content-security-policy"] = policy;
  res.setHeader("Content-Security-Policy", policy);
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
}
