/**
 * The services grid's filter as a URL query and back (`#/services?state=STALE&q=sync`), and the
 * match itself: a state (STALE: silent ones; the others: what a reporting service says) and text
 * in the key, name or message, case-insensitive.
 */

export const SERVICE_STATES = ['RUNNING', 'IDLE', 'DEGRADED', 'FAILED', 'STOPPED', 'STALE'] as const;
export type ServiceStateName = (typeof SERVICE_STATES)[number];

export interface ServiceFilter {
  state: ServiceStateName | null;
  q: string;
}

export function serviceFilterFromQuery(params: URLSearchParams): ServiceFilter {
  const state = params.get('state')?.toUpperCase() ?? '';
  return { state: (SERVICE_STATES as readonly string[]).includes(state) ? (state as ServiceStateName) : null, q: (params.get('q') ?? '').slice(0, 200) };
}

export function serviceFilterToQuery(filter: ServiceFilter): string {
  const q = new URLSearchParams();
  if (filter.state) q.set('state', filter.state);
  if (filter.q.trim()) q.set('q', filter.q.trim());
  return q.toString();
}

export function matchesService(service: { key: string; name: string; state: string; message?: string | null }, filter: ServiceFilter): boolean {
  if (filter.state && service.state !== filter.state) return false;
  const needle = filter.q.trim().toLowerCase();
  if (!needle) return true;
  return [service.key, service.name, service.message ?? ''].some((text) => text.toLowerCase().includes(needle));
}
