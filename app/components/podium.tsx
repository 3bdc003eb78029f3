// A round's podium (top three), on the game page and, larger, on the presenter screen, where a
// running round's live standings use it too.
import type { PodiumEntry } from "@/lib/games/channels";

// Gold, silver, bronze as coloured places rather than emoji: projectors and kiosk browsers often
// lack an emoji font.
const places = ["bg-amber-300 text-slate-950", "bg-slate-300 text-slate-950", "bg-orange-400 text-slate-950"] as const;

const tones = {
  light: {
    list: "space-y-1",
    item: "flex items-center gap-2 text-sm",
    place: "h-6 w-6 text-xs",
    count: "ml-auto tabular-nums font-semibold",
    empty: "text-sm text-slate-600",
    unit: true,
  },
  dark: {
    list: "space-y-[1.2vh]",
    item: "flex items-center gap-[1vw] text-[3.2vh] font-bold",
    place: "h-[4.4vh] w-[4.4vh] text-[2.4vh]",
    count: "ml-auto tabular-nums",
    empty: "text-[2.6vh] text-slate-300",
    unit: true,
  },
  compact: {
    list: "space-y-[0.6vh]",
    item: "flex items-center gap-[0.6vw] text-[2.3vh] font-semibold",
    place: "h-[3vh] w-[3vh] text-[1.7vh]",
    count: "ml-auto tabular-nums whitespace-nowrap",
    empty: "text-[2.3vh] text-slate-300",
    unit: false,
  },
} as const;

type PodiumProps = {
  podium: PodiumEntry[];
  tone?: keyof typeof tones;
  /** The list's name: the final "Podium", or the live standings of a running round. */
  label?: string;
  empty?: string;
};

export function Podium({
  podium,
  tone = "light",
  label = "Podium",
  empty = "Nobody clicked in this round.",
}: PodiumProps) {
  const style = tones[tone];
  if (podium.length === 0) return <p className={style.empty}>{empty}</p>;
  return (
    <ol aria-label={label} className={style.list}>
      {podium.map((entry, index) => (
        <li key={entry.userId} className={style.item}>
          <span
            aria-hidden
            className={`inline-flex shrink-0 items-center justify-center rounded-full font-black ${style.place} ${places[index] ?? ""}`}
          >
            {index + 1}
          </span>
          <span className="min-w-0 truncate">{entry.username}</span>
          <span className={style.count}>
            {entry.clicks.toLocaleString("en")}
            {style.unit ? ` click${entry.clicks === 1 ? "" : "s"}` : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
