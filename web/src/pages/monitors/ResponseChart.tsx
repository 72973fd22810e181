import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatBucketLabel, formatMs, formatUptime, seriesColumns, timeTicks, type SeriesBucket } from '../../lib/chart';

export interface ChartSeries {
  bucketSeconds: number;
  buckets: (SeriesBucket & { uptime?: number | null })[];
  summary: { avgResponseTimeMs?: number | null; p95ResponseTimeMs?: number | null; uptime?: number | null; count: number; failures: number };
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/**
 * Response time per bucket as uPlot draws it: average and p95 lines (a bucket without checks
 * breaks the line), buckets with failed checks shaded red across the plot, a time axis on round
 * times in the browser's zone, a value axis in ms/s, and a read-out of the bucket under the
 * pointer. Redrawn at the container's width (ResizeObserver).
 */
export function ResponseChart({ series, rangeLabel }: { series: ChartSeries; rangeLabel: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState<number | null>(null);
  const { buckets, bucketSeconds, summary } = series;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const cols = seriesColumns(buckets);
    const [muted, line, accent, amber, red] = ['--muted', '--line', '--accent', '--amber', '--red'].map(css) as [string, string, string, string, string];
    const failed = buckets.map((b) => b.failures > 0);
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: 220,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(10, (max ?? 0) * 1.15)] } },
      axes: [
        {
          stroke: muted,
          grid: { stroke: line, width: 1 },
          ticks: { stroke: line, width: 1 },
          splits: (u) => timeTicks((u.scales.x?.min ?? 0) * 1000, (u.scales.x?.max ?? 0) * 1000, el.clientWidth < 500 ? 3 : 7).map((t) => t.at / 1000),
          values: (u, splits) => {
            const labels = new Map(timeTicks((u.scales.x?.min ?? 0) * 1000, (u.scales.x?.max ?? 0) * 1000, el.clientWidth < 500 ? 3 : 7).map((t) => [t.at / 1000, t.label]));
            return splits.map((s) => labels.get(s) ?? '');
          },
        },
        { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 }, size: 64, values: (_u, splits) => splits.map((v) => formatMs(v)) },
      ],
      series: [
        {},
        { label: 'Average', stroke: accent, width: 2, spanGaps: false, points: { show: buckets.length < 80 } },
        { label: 'p95', stroke: amber, width: 1.5, dash: [6, 4], spanGaps: false, points: { show: false } },
      ],
      hooks: {
        // failures: the buckets that had any, shaded across the plot under the lines
        drawClear: [
          (u) => {
            const { ctx } = u;
            ctx.save();
            ctx.fillStyle = red;
            ctx.globalAlpha = 0.22;
            const top = u.bbox.top;
            const height = u.bbox.height;
            failed.forEach((f, i) => {
              if (!f) return;
              const x0 = u.valToPos(cols.x[i]!, 'x', true);
              const x1 = u.valToPos(cols.x[i]! + bucketSeconds, 'x', true);
              ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
            });
            ctx.restore();
          },
        ],
        setCursor: [(u) => setHover(u.cursor.idx ?? null)],
      },
    };
    const plot = new uPlot(opts, [cols.x, cols.avg, cols.p95] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [buckets, bucketSeconds]);

  const at = hover != null ? buckets[hover] : undefined;
  const description = `Response time chart, ${rangeLabel}: average ${formatMs(summary.avgResponseTimeMs)}, p95 ${formatMs(summary.p95ResponseTimeMs)}, ${summary.failures} failed of ${summary.count} checks`;
  return (
    <figure className="chart-figure">
      <div className="chart-summary" data-testid="chart-summary">
        <span>
          <span className="key avg" aria-hidden="true" /> avg <b>{formatMs(summary.avgResponseTimeMs)}</b>
        </span>
        <span>
          <span className="key p95" aria-hidden="true" /> p95 <b>{formatMs(summary.p95ResponseTimeMs)}</b>
        </span>
        <span>
          uptime <b>{formatUptime(summary.uptime)}</b>
        </span>
        <span>
          <span className="key fail" aria-hidden="true" /> failed <b>{summary.failures}</b> of {summary.count}
        </span>
        <span className="grow" />
        <span className="muted readout" aria-hidden="true">
          {at ? `${formatBucketLabel(at.start, bucketSeconds)} · ${at.count ? `avg ${formatMs(at.avgResponseTimeMs)} · p95 ${formatMs(at.p95ResponseTimeMs)} · ${at.failures} failed of ${at.count}` : 'no checks'}` : 'point at the chart for a bucket'}
        </span>
      </div>
      <div className="uplot-box" ref={box} role="img" aria-label={description} />
    </figure>
  );
}
