/**
 * GraphiQL's first tabs: one working example per domain, so a newcomer runs something real
 * before reading anything. `test/graphiql.test.ts` validates every one against the schema.
 */
export interface ExampleTab {
  query: string;
  variables?: string;
}

const vars = (value: Record<string, unknown>) => JSON.stringify(value, null, 2);

export const GRAPHIQL_EXAMPLES: ExampleTab[] = [
  {
    query: /* GraphQL */ `# Welcome to Pulseboard's API.
#
# 1. Sign in: run SignIn (or Register on an empty server) with your own values.
# 2. Put the token in the Headers tab below: { "Authorization": "Bearer <token>" }
#    (opened from a signed-in console on this server, it is there already).
# 3. Run Me, then try the other tabs: services, logs, monitors, incidents, tickets.
#    Subscriptions stream into the result pane until you press stop.
# Docs: the book icon on the left; every type and field is described.

mutation SignIn($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    token
    user { id name role }
  }
}

mutation Register($input: RegisterInput!) {
  register(input: $input) {
    token
    user { id name role }
  }
}

query Me {
  viewer { id name email role }
}
`,
    variables: vars({
      email: 'ops@example.com',
      password: 'correct horse battery',
      input: { email: 'ops@example.com', password: 'correct horse battery', name: 'Ops', tenantName: 'Acme' },
    }),
  },
  {
    query: /* GraphQL */ `# Services report their state; every change streams to watchers.

query Services {
  services { key name state queueSize processedCount lastReportAt stale }
}

# First a SNAPSHOT of every service, then one UPDATED or REMOVED per change.
subscription WatchServices {
  serviceStatus {
    kind
    key
    services { key name state queueSize message }
  }
}

# Needs an ADMIN, or a service token whose patterns cover the key.
mutation ReportStatus {
  reportServiceStatus(input: { key: "etl:workflow456", name: "ETL 456", state: RUNNING, intervalSeconds: 30, queueSize: 12 }) {
    key
    state
  }
}
`,
  },
  {
    query: /* GraphQL */ `# Logs: publish entries to a channel, read its history, tail it live.

mutation Publish($channel: String!) {
  publishLogs(channel: $channel, entries: [{ level: INFO, message: "extract: 5000 rows" }, { level: ERROR, message: "load failed", fields: { table: "accounts" } }]) {
    count
    cursors
  }
}

# Newest last; page back with before/last. Edge cursors are what logs(after:) takes.
query History($channel: String!) {
  logHistory(channel: $channel, last: 20) {
    edges { cursor node { level message fields timestamp } }
    pageInfo { hasPreviousPage startCursor }
  }
}

# A channel or a pattern ("etl:*"); add after: "<cursor>" to replay what you missed first.
subscription Tail($channel: String!) {
  logs(channel: $channel) { cursor channel level message fields }
}
`,
    variables: vars({ channel: 'etl:workflow456' }),
  },
  {
    query: /* GraphQL */ `# Uptime monitors: HTTP or TCP checks on a schedule.

query Monitors {
  monitors {
    id name url status uptime
    lastCheck { ok httpStatus responseTimeMs error checkedAt }
  }
}

mutation CreateMonitor {
  createMonitor(input: { name: "API", url: "https://api.example.com/health", intervalSeconds: 60 }) {
    id
    status
  }
}

# Every completed check (monitorId: "..." for one monitor).
subscription Checks {
  monitorChecks { monitorId ok httpStatus responseTimeMs error checkedAt }
}
`,
  },
  {
    query: /* GraphQL */ `# Incidents open and resolve by themselves when alert rules hold and stop holding.

query OpenIncidents {
  incidents(status: OPEN) {
    edges { cursor node { id number title status openedAt } }
  }
}

# Every transition; add after: "<cursor>" to replay the ones you missed.
subscription WatchIncidents {
  incidents { cursor kind at incident { number title status } }
}
`,
  },
  {
    query: /* GraphQL */ `# Support tickets with live chat.

query Inbox {
  tickets(first: 20) {
    edges { node { id number subject status priority customer { name } } }
  }
}

# Every ticket event of the tenant (ticketId: "..." for one ticket), typing included.
subscription InboxEvents {
  ticketEvents { cursor kind ticketId message { authorName body internal } people { name } }
}
`,
  },
  {
    query: /* GraphQL */ `# An end-to-end check of a stream: the server's time every intervalMs.
subscription Heartbeat {
  heartbeat(intervalMs: 1000)
}
`,
  },
];
