"use client";
// The root layout itself failed (it reads the session, so a database outage lands here): the
// same explanation and retry, in a document of its own since the layout could not render.
import { ServerTrouble } from "./components/server-trouble";
import "./globals.css";

export default function GlobalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="en">
      <head>
        <title>This page could not load · Clickbus</title>
      </head>
      <body className="min-h-dvh bg-slate-50 px-4 text-slate-900 antialiased">
        <header className="mx-auto max-w-5xl py-4 text-lg font-bold text-indigo-600">Clickbus</header>
        <main>
          <ServerTrouble digest={error.digest} retry={retry} />
        </main>
      </body>
    </html>
  );
}
