export { createPublisher, type Publisher, type PublisherOptions, type PublisherStats, type ServiceStatus, type ServiceState, type Fields } from './publisher.js';
export {
  createSubscriber,
  subscribeLogs,
  StreamFailure,
  type Subscriber,
  type SubscriberOptions,
  type StreamHandlers,
  type DurableStream,
  type Gap,
  type LogEntry,
  type IncidentEvent,
  type TicketEvent,
  type ConnectionState,
} from './subscribe.js';
export { postGraphQL, RequestError, RetryableError, type Endpoint, type TokenSource, type GraphQLResponse } from './http.js';
export { LEVELS, toLevel, type Level, type LevelName } from './levels.js';
