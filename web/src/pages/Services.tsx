import { useEffect, useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { ServiceCard, ServiceCardFragment, SPARK_MINUTES } from '../components/ServiceCard';
import { PageHeader } from '../components/ui/PageHeader';
import { Empty, ErrorNote, Loading } from '../components/ui/States';
import { graphql, useFragment as fragmentData, type FragmentType } from '../gql';
import { matchesService, SERVICE_STATES, serviceFilterFromQuery, serviceFilterToQuery, type ServiceFilter } from '../lib/service-filter';
import { useNow } from '../lib/time';

const ServiceStatusSubscription = graphql(/* GraphQL */ `
  subscription ServiceStatus {
    serviceStatus {
      kind
      key
      services {
        key
        ...ServiceCard_service
      }
    }
  }
`);

const SamplesQuery = graphql(/* GraphQL */ `
  query ServiceSamples($minutes: Int!) {
    services {
      key
      samples(minutes: $minutes) {
        at
        queueSize
        processedPerMinute
      }
    }
  }
`);

type Card = FragmentType<typeof ServiceCardFragment> & { key: string };

/** Samples are per minute: a refresh every half minute keeps the sparklines' newest point current. */
const SAMPLES_EVERY_MS = 30_000;

/**
 * Every service of the tenant in a grid that fills the screen (one column on a phone), updated
 * in place: SNAPSHOT replaces, UPDATED upserts, REMOVED drops. Sparklines of the last hour come
 * from the per-minute samples; the filter (state, text) lives in the URL.
 */
export function ServicesPage({ params }: { params: URLSearchParams }) {
  const now = useNow();
  const [filter, setFilter] = useState<ServiceFilter>(() => serviceFilterFromQuery(params));
  // a link followed (the address changed from outside) sets the filter; typing only replaces the address
  const linked = params.toString();
  useEffect(() => setFilter(serviceFilterFromQuery(new URLSearchParams(linked))), [linked]);
  // null until the first SNAPSHOT: "loading", not "nothing there"
  const [services, setServices] = useState<Map<string, Card> | null>(null);
  const [{ error }] = useSubscription({ query: ServiceStatusSubscription }, (_prev, data) => {
    const event = data.serviceStatus;
    setServices((current) => {
      const next = event.kind === 'SNAPSHOT' || !current ? new Map<string, Card>() : new Map(current);
      if (event.kind === 'REMOVED' && event.key) next.delete(event.key);
      for (const service of event.services) next.set(service.key, service as Card);
      return next;
    });
    return data;
  });
  const [samples, refetchSamples] = useQuery({ query: SamplesQuery, variables: { minutes: SPARK_MINUTES }, requestPolicy: 'cache-and-network' });
  useEffect(() => {
    const timer = setInterval(() => refetchSamples({ requestPolicy: 'network-only' }), SAMPLES_EVERY_MS);
    return () => clearInterval(timer);
  }, [refetchSamples]);
  // a service that appeared since the last refresh gets its history now
  const known = services ? [...services.keys()].sort().join('\n') : '';
  useEffect(() => {
    if (known) refetchSamples({ requestPolicy: 'network-only' });
  }, [known, refetchSamples]);
  const samplesByKey = useMemo(() => new Map(samples.data?.services.map((s) => [s.key, s.samples]) ?? []), [samples.data]);

  function update(next: ServiceFilter) {
    setFilter(next);
    const query = serviceFilterToQuery(next);
    // replace, not push: typing in the box is not a trail of pages to go back through
    history.replaceState(null, '', `#/services${query ? `?${query}` : ''}`);
  }

  function forget(key: string) {
    setServices((current) => {
      if (!current?.has(key)) return current;
      const next = new Map(current);
      next.delete(key);
      return next;
    });
  }

  const all = services ? [...services.values()].sort((a, b) => a.key.localeCompare(b.key)) : [];
  const shown = all.filter((s) => matchesService(fragmentData(ServiceCardFragment, s), filter));
  const filtered = filter.state !== null || filter.q.trim() !== '';
  return (
    <>
      <PageHeader title="Services">
        {services && (
          <span className="muted" role="status">
            {filtered ? `${shown.length} of ${all.length}` : `${all.length} reporting`}
          </span>
        )}
      </PageHeader>
      <div className="filters row" role="search" aria-label="Filter services">
        <input type="search" aria-label="Filter by name, key or message" placeholder="filter…" value={filter.q} onChange={(e) => update({ ...filter, q: e.target.value })} />
        <select aria-label="State" value={filter.state ?? ''} onChange={(e) => update({ ...filter, state: (e.target.value || null) as ServiceFilter['state'] })}>
          <option value="">every state</option>
          {SERVICE_STATES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </div>
      {error && <ErrorNote error={error} />}
      {!services && !error && <Loading label="Loading services…" />}
      {services && all.length === 0 && (
        <Empty title="No service has reported yet.">
          Services report with the <code>reportServiceStatus</code> mutation — <code>npm run demo</code> plays three into this workspace.
        </Empty>
      )}
      {services && all.length > 0 && shown.length === 0 && (
        <Empty title="No service matches this filter.">
          <button onClick={() => update({ state: null, q: '' })}>Clear the filter</button>
        </Empty>
      )}
      <div className="service-grid">
        {shown.map((service) => (
          <ServiceCard key={service.key} service={service} samples={samplesByKey.get(service.key)} now={now} onDeleted={forget} />
        ))}
      </div>
    </>
  );
}
