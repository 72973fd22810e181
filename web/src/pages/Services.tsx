import { useState } from 'react';
import { useSubscription } from 'urql';
import { ServiceCard } from '../components/ServiceCard';
import { PageHeader } from '../components/ui/PageHeader';
import { Empty, ErrorNote, Loading } from '../components/ui/States';
import { graphql, type FragmentType } from '../gql';
import type { ServiceCardFragment } from '../components/ServiceCard';
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

type Card = FragmentType<typeof ServiceCardFragment> & { key: string };

/** Every service of the tenant, updated in place: SNAPSHOT replaces, UPDATED upserts, REMOVED drops. */
export function ServicesPage() {
  const now = useNow();
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
  const list = services ? [...services.values()].sort((a, b) => a.key.localeCompare(b.key)) : [];
  return (
    <>
      <PageHeader title="Services">{services && <span className="muted">{list.length} reporting</span>}</PageHeader>
      {error && <ErrorNote error={error} />}
      {!services && !error && <Loading label="Loading services…" />}
      {services && list.length === 0 && (
        <Empty title="No service has reported yet.">
          Services report with the <code>reportServiceStatus</code> mutation — <code>npm run demo</code> plays three into this workspace.
        </Empty>
      )}
      <div className="cards">
        {list.map((service) => (
          <ServiceCard key={service.key} service={service} now={now} />
        ))}
      </div>
    </>
  );
}
