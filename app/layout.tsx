// The root layout: page chrome (header with navigation and the signed-in user) around every route
// but the presenter screen, and the bus for signed-in visitors.
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { BusProvider } from "@/lib/bus/client/bus-provider";
import { currentUser } from "@/lib/auth/current-user";
import { SiteChrome } from "./components/site-chrome";
import { StrictCsp } from "./components/strict-csp";
import { SiteHeader } from "./site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Clickbus", template: "%s · Clickbus" },
  description: "A collaborative clicker game on a record-scoped realtime bus.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#4f46e5" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Only a signed-in visitor gets a socket: the handshake would refuse anyone else.
  const signedIn = (await currentUser()) !== null;
  return (
    <html lang="en">
      <body className="min-h-dvh bg-slate-50 text-slate-900 antialiased">
        <StrictCsp />
        <SiteChrome header={<SiteHeader />}>{signedIn ? <BusProvider>{children}</BusProvider> : children}</SiteChrome>
      </body>
    </html>
  );
}
