// The presenter's clicks-per-second chart: the last minute as bars, the current rate as a number.
import { currentRate } from "@/lib/games/client/rate-window";

const HEIGHT = 40;

/**
 * One decimal below 100 a second, none above, always the same count of decimals: a figure that
 * gained or lost its ".8" from one second to the next moved the caption beside it.
 */
function rateText(rate: number): string {
  return rate >= 100
    ? Math.round(rate).toLocaleString("en")
    : rate.toLocaleString("en", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

export function RateChart({ series }: { series: number[] }) {
  const peak = Math.max(1, ...series);
  const rate = currentRate(series);
  return (
    <figure className="flex min-h-[18vh] flex-1 flex-col gap-[1vh] md:min-h-0">
      <figcaption className="flex items-baseline gap-[1vw] text-[2.4vh] text-slate-300">
        <span className="text-[5vh] font-black tabular-nums text-emerald-300">{rateText(rate)}</span> clicks/s · last
        minute
      </figcaption>
      <svg
        role="img"
        aria-label={`Clicks per second over the last minute, now ${rate} per second`}
        viewBox={`0 0 ${series.length} ${HEIGHT}`}
        preserveAspectRatio="none"
        className="min-h-0 w-full flex-1 rounded-lg bg-slate-900"
      >
        {series.map((value, index) => {
          const height = (value / peak) * (HEIGHT - 2);
          return (
            <rect
              key={index}
              x={index + 0.1}
              width={0.8}
              y={HEIGHT - height}
              height={height}
              className="fill-emerald-400"
            />
          );
        })}
      </svg>
    </figure>
  );
}
