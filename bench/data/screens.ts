/**
 * What each console screen asks for: the console's own documents (web/src/pages) where it has
 * them, and the grid/inbox APIs (issue 21) with the fields those screens show.
 */
import type { Seeded } from './seed.js';

export interface Screen {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const LOG_PAGE = /* GraphQL */ `
  query ($channel: String!, $minLevel: LogLevel, $search: String, $before: String) {
    logHistory(channel: $channel, last: 100, minLevel: $minLevel, search: $search, before: $before) {
      edges { cursor node { cursor channel level message timestamp fields } }
      pageInfo { hasPreviousPage startCursor }
    }
  }`;

export function screens({ monitorIds, ticketIds, incidentIds }: Seeded): Screen[] {
  return [
    {
      name: 'services grid (+ 60 min sparklines)',
      query: /* GraphQL */ `{ services { key name state stale queueSize processedCount failedCount intervalSeconds message lastReportAt
        samples(minutes: 60) { at queueSize processedPerMinute } } }`,
    },
    { name: 'service history', query: /* GraphQL */ `{ serviceHistory(key: "svc-00007", last: 50) { state previousState at } }` },
    { name: 'log tail, one channel', query: LOG_PAGE, variables: { channel: 'svc-0042' } },
    { name: 'log tail, one channel, minLevel WARN', query: LOG_PAGE, variables: { channel: 'svc-0042', minLevel: 'WARN' } },
    { name: 'log tail, merged svc* minLevel ERROR', query: LOG_PAGE, variables: { channel: 'svc*', minLevel: 'ERROR' } },
    { name: 'log tail, merged * (all channels)', query: LOG_PAGE, variables: { channel: '*' } },
    { name: 'log search svc* "timeout" + minLevel INFO', query: LOG_PAGE, variables: { channel: 'svc*', search: 'timeout', minLevel: 'INFO' } },
    { name: 'log channels', query: /* GraphQL */ `{ logChannels { name lastEntryAt lastCursor } }` },
    {
      name: 'monitor list (uptime 24h, last check, heartbeat)',
      query: /* GraphQL */ `{ monitors { id name kind url status intervalSeconds uptime(hours: 24)
        lastCheck { ok responseTimeMs checkedAt error } checks(last: 20) { ok checkedAt }
        uptimes { last24Hours last7Days last30Days } activeMaintenance { id } alertRules { id } } }`,
    },
    {
      name: 'monitor detail (30-day chart)',
      query: /* GraphQL */ `query ($id: ID!) { monitor(id: $id) { id name uptime(hours: 24)
        checks(last: 20) { id ok httpStatus responseTimeMs checkedAt }
        checkSeries(range: MONTH) { buckets { start count failures avgResponseTimeMs p95ResponseTimeMs } summary { count failures avgResponseTimeMs p95ResponseTimeMs } } } }`,
      variables: { id: monitorIds[1] },
    },
    {
      name: 'monitor detail (24 h chart)',
      query: /* GraphQL */ `query ($id: ID!) { monitor(id: $id) { id checkSeries(range: DAY) { buckets { start count avgResponseTimeMs p95ResponseTimeMs } } } }`,
      variables: { id: monitorIds[1] },
    },
    {
      name: 'incidents (first 100, with monitor)',
      query: /* GraphQL */ `{ incidents(first: 100) { edges { node { id number title kind status openedAt acknowledgedAt resolvedAt resolutionNote monitor { id name } } } } }`,
    },
    {
      name: 'incident timeline',
      query: /* GraphQL */ `query ($id: ID!) { incident(id: $id) { id title monitor { name } timeline { omittedChecks entries { kind at check { ok responseTimeMs } } } } }`,
      variables: { id: incidentIds[0] },
    },
    {
      name: 'ticket inbox (first 50, unread, last message)',
      query: /* GraphQL */ `{ tickets(first: 50) { edges { node { id number subject status priority updatedAt unreadCount
        customer { name } assignee { name } lastMessage { body createdAt } } } } }`,
    },
    {
      name: 'ticket inbox, open work (OPEN + PENDING, view counters)',
      query: /* GraphQL */ `{ tickets(first: 50, statuses: [OPEN, PENDING]) { edges { node { id number subject status unreadCount assignee { name } } } }
        ticketViewCounts(statuses: [OPEN, PENDING]) { all mine unassigned unread } }`,
    },
    {
      name: 'ticket inbox search "refund"',
      query: /* GraphQL */ `{ tickets(first: 50, search: "refund") { edges { node { id number subject assignee { name } } } } }`,
    },
    {
      name: 'a ticket (200 messages, members)',
      query: /* GraphQL */ `query ($id: ID!) { ticket(id: $id) { id number subject status priority customer { name email } assignee { id }
        messages(last: 200) { edges { node { cursor authorKind authorName body internal createdAt } } } } members { id name } }`,
      variables: { id: ticketIds[3] },
    },
  ];
}
