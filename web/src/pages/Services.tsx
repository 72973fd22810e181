import { useState } from 'react';
import { useSubscription } from 'urql';
import { ServiceCard } from '../components/ServiceCard';
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
  const [services, setServices] = useState<Map<string, Card>>(new Map());
  const [{ error }] = useSubscription({ query: ServiceStatusSubscription }, (_prev, data) => {
    const event = data.serviceStatus;
    setServices((current) => {
      const next = event.kind === 'SNAPSHOT' ? new Map<string, Card>() : new Map(current);
      if (event.kind === 'REMOVED' && event.key) next.delete(event.key);
      for (const service of event.services) next.set(service.key, service as Card);
      return next;
    });
    return data;
  });
  const list = [...services.values()].sort((a, b) => a.key.localeCompare(b.key));
  return (
    <>
      <h1>Services</h1>
      {error && <p className="error">{error.message}</p>}
      {list.length === 0 && <p className="muted">No service has reported yet. Services report with the reportServiceStatus mutation (try `npm run demo`).</p>}
      <div className="cards">
        {list.map((service) => (
          <ServiceCard key={service.key} service={service} now={now} />
        ))}
      </div>
    </>
  );
}
