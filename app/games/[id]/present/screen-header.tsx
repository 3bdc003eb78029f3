"use client";
// The presenter screen's top line: the game's name, the connection, full screen, and the way back.
import Link from "next/link";
import { useBusStatus } from "@/lib/bus/client/hooks";

type ScreenHeaderProps = {
  name: string;
  gameId: number;
  fullScreen: boolean;
  onFullScreen: () => void;
};

export function ScreenHeader({ name, gameId, fullScreen, onFullScreen }: ScreenHeaderProps) {
  const busStatus = useBusStatus();
  return (
    <header className="flex flex-wrap items-center gap-[2vw]">
      <h1 className="w-full min-w-0 truncate text-[5vh] font-black tracking-tight md:w-auto md:flex-1">{name}</h1>
      <p
        role="status"
        aria-label={`Connection: ${busStatus}`}
        className={`text-[2.2vh] font-semibold ${busStatus === "connected" ? "text-emerald-300" : "text-amber-300"}`}
      >
        {busStatus === "connected" ? "● Live" : "● Reconnecting…"}
      </p>
      <button
        type="button"
        onClick={onFullScreen}
        aria-keyshortcuts="F"
        className="rounded-xl border-2 border-slate-500 px-[1.2vw] py-[0.8vh] text-[2.2vh] font-semibold hover:bg-slate-800"
      >
        {fullScreen ? "Exit full screen" : "Full screen"}
      </button>
      <Link href={`/games/${gameId}`} className="text-[2.2vh] text-slate-300 underline">
        Back to the game
      </Link>
    </header>
  );
}
