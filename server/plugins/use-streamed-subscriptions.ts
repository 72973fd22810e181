import { createGraphQLError, type Plugin } from 'graphql-yoga';

const JSON_ONLY = /^\s*(application\/(graphql-response\+)?json)\s*(;[^,]*)?(\s*,\s*application\/(graphql-response\+)?json\s*(;[^,]*)?)*$/i;

/** Whether a request takes nothing but one JSON answer (so it can carry no event stream). */
export const answersOnlyJson = (request: Request) => JSON_ONLY.test(request.headers.get('accept') ?? '');

/**
 * A subscription asked for with an Accept that allows no stream is refused before it starts.
 * Yoga would run it and then find no way to send it (406), leaving its source — feeds, bus
 * subscriptions, the caller's slot — open with nobody to end it. Such requests are not watched
 * for hang-ups either (server/context.ts), so nothing may outlive their one answer.
 */
export function useStreamedSubscriptions(): Plugin<{ request?: Request }> {
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const request = args.contextValue.request;
      if (!request || !answersOnlyJson(request)) return;
      setResultAndStopExecution({
        errors: [
          createGraphQLError('A subscription is an event stream: ask for it with Accept: text/event-stream (or use /graphql/stream)', {
            extensions: { code: 'BAD_REQUEST', http: { status: 406 } },
          }),
        ],
      });
    },
  };
}
