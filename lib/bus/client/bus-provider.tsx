"use client";
// BusProvider owns this tab's one socket; useBusChannel and useBusStatus read it from context.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { io } from "socket.io-client";
import { BusClient, type BusSocket } from "./bus-client";

const BusContext = createContext<BusClient | null>(null);

export function BusProvider({ children }: { children: ReactNode }) {
  const [client, setClient] = useState<BusClient | null>(null);

  useEffect(() => {
    const socket: BusSocket = io({ path: "/socket.io", withCredentials: true });
    const bus = new BusClient(socket);
    const online = () => bus.setBrowserOnline(true);
    const offline = () => bus.setBrowserOnline(false);
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    // The socket only exists in the browser, so it is created in an effect and handed to
    // consumers through state; they render "connecting" until then.
    setClient(bus); // eslint-disable-line react-hooks/set-state-in-effect
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
      bus.close();
    };
  }, []);

  return <BusContext.Provider value={client}>{children}</BusContext.Provider>;
}

export function useBusClient(): BusClient | null {
  return useContext(BusContext);
}
