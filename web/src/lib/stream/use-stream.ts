import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createContext, useContext, useEffect, useRef } from 'react';
import type { DurableEvent, StreamResult } from '../durable-subscription';
import type { BrowserStream } from './browser-stream';

export const StreamContext = createContext<BrowserStream | null>(null);

export function useBrowserStream(): BrowserStream {
  const stream = useContext(StreamContext);
  if (!stream) throw new Error('useBrowserStream outside a signed-in shell');
  return stream;
}

export type StreamEvent<Data> = { kind: 'next'; data: Data; result: StreamResult } | Exclude<DurableEvent, { kind: 'next' }>;

/**
 * A durable subscription for screens that need more than the latest value: every event, in
 * order, plus `gap` notices (`CURSOR_EXPIRED`) to mark on screen. Re-subscribes when the
 * variables change; `after` is where it starts, and the subscriber keeps it current afterwards.
 */
export function useStream<Data, Variables extends Record<string, unknown>>(
  document: TypedDocumentNode<Data, Variables>,
  { variables, pause = false }: { variables: Variables; pause?: boolean },
  onEvent: (event: StreamEvent<Data>) => void,
) {
  const stream = useBrowserStream();
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const query = useRef<string | null>(null);
  query.current ??= print(document);
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (pause) return;
    return stream.durable.subscribe({ query: query.current!, variables: JSON.parse(key) }, (event) => {
      if (event.kind === 'next') {
        if (event.result.data) handler.current({ kind: 'next', data: event.result.data as Data, result: event.result });
        else handler.current({ kind: 'error', error: new Error(event.result.errors?.[0]?.message ?? 'stream error') });
      } else handler.current(event);
    });
  }, [stream, key, pause]);
}
