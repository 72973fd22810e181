import type { ReactNode } from 'react';

/** A full-width notice under the header. `assertive` interrupts a screen reader; use it for outages only. */
export function Banner({ tone, children, assertive = false, testId }: { tone: 'info' | 'warning' | 'error'; children: ReactNode; assertive?: boolean; testId?: string }) {
  return (
    <div className={`banner ${tone}`} role={assertive ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}
