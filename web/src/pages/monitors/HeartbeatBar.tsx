import { formatMs } from '../../lib/chart';

export interface Beat {
  id: string;
  ok: boolean;
  checkedAt: string;
  responseTimeMs?: number | null;
  error?: string | null;
}

/**
 * The last `slots` checks as a row of ticks, oldest left: green passed, red failed, empty slots
 * before the first check. Each tick says when and what in its title; the bar as a whole is one
 * image with a count for screen readers.
 */
export function HeartbeatBar({ beats, slots = 30 }: { beats: readonly Beat[]; slots?: number }) {
  const shown = beats.slice(-slots);
  const failed = shown.filter((b) => !b.ok).length;
  const pad = slots - shown.length;
  return (
    <span className="heartbeat" role="img" aria-label={shown.length ? `Last ${shown.length} checks: ${shown.length - failed} passed, ${failed} failed` : 'No checks yet'} data-testid="heartbeat">
      {Array.from({ length: pad }, (_, i) => (
        <span key={`pad-${i}`} className="beat empty" />
      ))}
      {shown.map((b) => (
        <span
          key={b.id}
          className={`beat ${b.ok ? 'ok' : 'fail'}`}
          data-ok={b.ok}
          title={`${new Date(b.checkedAt).toLocaleString()} · ${b.ok ? formatMs(b.responseTimeMs) : (b.error ?? 'failed')}`}
        />
      ))}
    </span>
  );
}
