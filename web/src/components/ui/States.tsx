import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';

/** A query in flight: announced politely, shown where the content will be. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite" data-testid="loading">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** Nothing to show yet, and what would make something appear. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty" data-testid="empty">
      <strong>{title}</strong>
      {children && <div className="muted">{children}</div>}
    </div>
  );
}

export function ErrorNote({ error }: { error: CombinedError | string }) {
  const message = typeof error === 'string' ? error : (error.graphQLErrors[0]?.message ?? (error.networkError ? 'Cannot reach the server — retrying when you act again' : error.message));
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

/**
 * The three states of every query-backed region: loading (no data yet), failed (no data and an
 * error), and the content. Data kept from an earlier load stays on screen while a refetch runs.
 */
export function QueryState<T>({
  result,
  label,
  children,
}: {
  result: { data?: T; error?: CombinedError; fetching: boolean };
  label?: string;
  children: (data: T) => ReactNode;
}) {
  if (result.data !== undefined) return <>{children(result.data)}</>;
  if (result.error) return <ErrorNote error={result.error} />;
  return <Loading label={label} />;
}
