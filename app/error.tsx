"use client";
// A page's server render failed (the root layout's own failures go to global-error.tsx).
import { ServerTrouble } from "./components/server-trouble";

export default function PageError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return <ServerTrouble digest={error.digest} retry={retry} />;
}
