// Reading a node's Prometheus metrics in the bench: one series' value from its metrics listener.

export async function fetchMetrics(metricsUrl: string): Promise<string> {
  const response = await fetch(metricsUrl);
  if (!response.ok) throw new Error(`GET ${metricsUrl}: ${response.status}`);
  return response.text();
}

/** The value of `series` (its name with its labels, as printed) in Prometheus text, if present. */
export function metricValue(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
