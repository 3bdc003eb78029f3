// The root layout: page chrome (header with navigation and the signed-in user) around every route
// but the presenter screen, and the bus for signed-in visitors.
import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { BusProvider } from "@/lib/bus/client/bus-provider";
import { currentSession } from "@/lib/auth/current-user";
import { userChannel } from "@/lib/realtime/user-channel";
import { identityKey, type BusIdentity } from "@/lib/bus/client/identity";
import { SessionSync } from "./components/session-sync";
import { SiteChrome } from "./components/site-chrome";
import { SiteHeader } from "./site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Clickbus", template: "%s · Clickbus" },
  description: "A collaborative clicker game on a record-scoped realtime bus.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#4f46e5" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Only a signed-in visitor gets a bus: the handshake would refuse anyone else. The bus is tied
  // to the user and session epoch, and keyed by them, so another session gets a new one.
  const session = await currentSession();
  const identity: BusIdentity | null = session
    ? { personalChannel: userChannel(session.user.id), epoch: session.epoch }
    : null;
  return (
    <html lang="en">
      <body className="min-h-dvh bg-slate-50 text-slate-900 antialiased">
        <SessionSync identity={identity} />
        <SiteChrome header={<SiteHeader />}>
          {identity ? (
            <BusProvider key={identityKey(identity)} identity={identity}>
              {children}
            </BusProvider>
          ) : (
            children
          )}
        </SiteChrome>
      </body>
    </html>
  );
}
