import { useEffect, useState } from 'react';
import { useSubscription } from 'urql';
import { graphql } from '../../gql';

const ChecksSubscription = graphql(/* GraphQL */ `
  subscription MonitorChecks($monitorId: ID) {
    monitorChecks(monitorId: $monitorId) {
      id
      monitorId
      ok
    }
  }
`);

/** Calls `refetch` after checks complete (one monitor's, or any), at most every half second. */
export function useRefetchOnChecks(monitorId: string | null, refetch: () => void) {
  const [tick, setTick] = useState(0);
  useSubscription({ query: ChecksSubscription, variables: { monitorId } }, (_p, data) => {
    setTick((n) => n + 1);
    return data;
  });
  useEffect(() => {
    if (!tick) return;
    const timer = setTimeout(refetch, 500);
    return () => clearTimeout(timer);
  }, [tick, refetch]);
}
