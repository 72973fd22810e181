/**
 * A stable colour per log channel: the same channel always gets the same hue, in every tab and
 * on every visit (a hash of its name picks from a palette), readable as text on the console's
 * dark and light backgrounds (each colour meets WCAG AA, 4.5:1, on --bg, --panel and --panel-2).
 */

export type Theme = 'dark' | 'light';

/** The same hues, a light shade for dark backgrounds and a deep one for light backgrounds. */
export const CHANNEL_PALETTE: Record<Theme, readonly string[]> = {
  dark: ['#6cb6ff', '#56d364', '#e3b341', '#ff9bce', '#d2a8ff', '#76e3ea', '#ffa657', '#a5d6ff', '#b4e88a', '#f4b4ff'],
  light: ['#0550ae', '#116329', '#7d4e00', '#99286e', '#6639ba', '#0e6a73', '#953800', '#0a3f7a', '#3f6212', '#7e2a8f'],
};

/** The console's backgrounds, per theme (web/src/styles.css: --bg, --panel, --panel-2). */
export const BACKGROUNDS: Record<Theme, readonly string[]> = {
  dark: ['#0f1419', '#161d25', '#1d2630'],
  light: ['#f4f6f8', '#ffffff', '#eef1f4'],
};

/** FNV-1a, 32 bits: fast, and spreads similar names (etl:load, etl:lead) apart. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Murmur3's finaliser: FNV-1a's low bits barely depend on a name's last characters (svc:api and svc:worker collided mod 10). */
function mix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** The palette index of a channel: the same in both themes. */
export const channelHue = (channel: string) => mix(hashString(channel)) % CHANNEL_PALETTE.dark.length;

export function channelColour(channel: string, theme: Theme): string {
  return CHANNEL_PALETTE[theme][channelHue(channel)]!;
}

/** WCAG 2 contrast ratio of two #rrggbb colours (1–21). */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}
