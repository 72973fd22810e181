import { sparkPath } from '../lib/sparkline';

const W = 120;
const H = 28;

/**
 * A small SVG line (not uPlot: a grid holds two per service, and an SVG path per card costs no
 * canvas, no resize observer and no chart instance; it scales with the card through its viewBox
 * and takes the theme's colours from CSS). Screen readers get the numbers as its label.
 */
export function Sparkline({ values, label, unit = '' }: { values: readonly (number | null)[]; label: string; unit?: string }) {
  const { path, min, max, last, points } = sparkPath(values, W, H);
  const fmt = (n: number | null) => (n === null ? '—' : `${Math.round(n).toLocaleString()}${unit}`);
  const summary = points ? `${label}, last ${values.length} min: now ${fmt(last)}, min ${fmt(min)}, max ${fmt(max)}` : `${label}: no reports in the last ${values.length} min`;
  return (
    <figure className="spark">
      <figcaption>
        <span>{label}</span>
        <b>{fmt(last)}</b>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary} data-points={points}>
        <line x1="0" x2={W} y1={H - 1} y2={H - 1} className="spark-base" />
        {path && <path d={path} className="spark-line" vectorEffect="non-scaling-stroke" />}
      </svg>
    </figure>
  );
}
