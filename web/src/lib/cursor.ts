/**
 * Durable subscriptions (`logs`, `incidents`, `ticketEvents`) take an `after` cursor. The SSE
 * client re-sends the same request when it reconnects, so keeping `variables.after` at the
 * last cursor received makes every reconnect resume exactly there: nothing lost, nothing twice.
 * Only requests that declare `after` (even as null) opt in.
 */
export function trackCursor(request: { variables?: Record<string, unknown> }, result: { data?: unknown }): void {
  if (!request.variables || !('after' in request.variables)) return;
  const data = result.data as Record<string, { cursor?: unknown } | null> | null | undefined;
  if (!data) return;
  for (const value of Object.values(data)) {
    if (value && typeof value.cursor === 'string') request.variables.after = value.cursor;
  }
}
