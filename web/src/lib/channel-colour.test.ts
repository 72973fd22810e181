import { describe, expect, it } from 'vitest';
import { BACKGROUNDS, CHANNEL_PALETTE, channelColour, channelHue, contrastRatio, hashString } from './channel-colour';

describe('channel colours', () => {
  it('every colour is readable (WCAG AA, 4.5:1) on every background of its theme', () => {
    for (const theme of ['dark', 'light'] as const) {
      for (const colour of CHANNEL_PALETTE[theme]) {
        for (const background of BACKGROUNDS[theme]) expect(contrastRatio(colour, background), `${colour} on ${background}`).toBeGreaterThanOrEqual(4.5);
      }
    }
    expect(CHANNEL_PALETTE.dark.length).toBe(CHANNEL_PALETTE.light.length);
    expect(new Set(CHANNEL_PALETTE.dark).size).toBe(CHANNEL_PALETTE.dark.length);
  });

  it('a channel keeps its colour (and its hue across themes); similar names spread over the palette', () => {
    expect(channelColour('etl:load', 'dark')).toBe(channelColour('etl:load', 'dark'));
    expect(CHANNEL_PALETTE.light.indexOf(channelColour('etl:load', 'light'))).toBe(CHANNEL_PALETTE.dark.indexOf(channelColour('etl:load', 'dark')));
    expect(hashString('')).toBe(0x811c9dc5);
    const hues = new Set(['etl:load', 'etl:lead', 'etl:extract', 'etl:transform', 'balance-sync', 'discovery', 'payments', 'api', 'worker-1', 'worker-2'].map(channelHue));
    expect(hues.size).toBeGreaterThanOrEqual(6);
    // names that differ only at the end (a merged view's siblings) spread too
    expect(new Set(['svc:api', 'svc:worker', 'svc:web', 'svc:jobs', 'svc:billing', 'svc:mailer'].map(channelHue)).size).toBeGreaterThanOrEqual(4);
  });

  it('computes contrast as WCAG defines it', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#123456', '#123456')).toBe(1);
  });
});
