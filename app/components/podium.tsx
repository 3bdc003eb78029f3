// A round's podium (top three), on the game page and, larger, on the presenter screen.
import type { PodiumEntry } from "@/lib/games/channels";

// Gold, silver, bronze as coloured places rather than emoji: projectors and kiosk browsers often
// lack an emoji font.
const places = ["bg-amber-300 text-slate-950", "bg-slate-300 text-slate-950", "bg-orange-400 text-slate-950"] as const;

const tones = {
  light: { list: "space-y-1", item: "flex items-center gap-2 text-sm", place: "h-6 w-6 text-xs", count: "ml-auto tabular-nums font-semibold", empty: "text-sm text-slate-600" },
  dark: { list: "space-y-[1.2vh]", item: "flex items-center gap-[1vw] text-[3.2vh] font-bold", place: "h-[4.4vh] w-[4.4vh] text-[2.4vh]", count: "ml-auto tabular-nums", empty: "text-[2.6vh] text-slate-300" },
} as const;

export function Podium({ podium, tone = "light" }: { podium: PodiumEntry[]; tone?: keyof typeof tones }) {
  const style = tones[tone];
  if (podium.length === 0) return <p className={style.empty}>Nobody clicked in this round.</p>;
  return (
    <ol aria-label="Podium" className={style.list}>
      {podium.map((entry, index) => (
        <li key={entry.userId} className={style.item}>
          <span aria-hidden className={`inline-flex shrink-0 items-center justify-center rounded-full font-black ${style.place} ${places[index] ?? ""}`}>
            {index + 1}
          </span>
          <span className="min-w-0 truncate">{entry.username}</span>
          <span className={style.count}>
            {entry.clicks.toLocaleString("en")} click{entry.clicks === 1 ? "" : "s"}
          </span>
        </li>
      ))}
    </ol>
  );
}
