import type { PublicPageStatus } from './public-view.js';

const look: Record<PublicPageStatus | 'UNKNOWN', { text: string; colour: string }> = {
  OPERATIONAL: { text: 'operational', colour: '#2e7d32' },
  DEGRADED: { text: 'degraded', colour: '#b26a00' },
  PARTIAL_OUTAGE: { text: 'partial outage', colour: '#c62828' },
  MAJOR_OUTAGE: { text: 'major outage', colour: '#b71c1c' },
  MAINTENANCE: { text: 'maintenance', colour: '#1565c0' },
  UNKNOWN: { text: 'unknown', colour: '#616161' },
};

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

// Verdana 11 px averages about 6.5 px a character: the badge grows with its text, not clipped
const widthOf = (text: string) => Math.round(text.length * 6.5) + 12;

/** A flat shields-style badge: `label | status`, coloured by the status. */
export function badgeSvg(label: string, status: PublicPageStatus | 'UNKNOWN'): string {
  const { text, colour } = look[status];
  const left = widthOf(label);
  const right = widthOf(text);
  const total = left + right;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${total}" height="20" role="img" aria-label="${escapeXml(`${label}: ${text}`)}">
<title>${escapeXml(`${label}: ${text}`)}</title>
<clipPath id="r"><rect width="${total}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${colour}"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${left / 2}" y="14">${escapeXml(label)}</text><text x="${left + right / 2}" y="14">${escapeXml(text)}</text>
</g></svg>`;
}
