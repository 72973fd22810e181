import type { ObjectRef } from '@pothos/core';
import { builder } from './builder.js';

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  description: 'Relay-style page information',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

type Types = typeof PageInfo extends ObjectRef<infer T, PageInfoShape> ? T : never;

/** A page of nodes, in the order the connection shows them. */
export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * `<Name>Edge { cursor node }` and `<Name>Connection { edges pageInfo }` for `node`, whose
 * edge cursor is `cursorOf(node)` — the same cursor the matching subscription's `after` takes.
 */
export function connection<T>(name: string, node: ObjectRef<Types, T>, cursorOf: (node: T) => string) {
  const Edge = builder.objectRef<T>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.string({ resolve: (n) => cursorOf(n) }),
      // Pothos cannot see through a generic node type; n is that node
      node: t.field({ type: node, resolve: (n) => n as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [Edge], resolve: (page) => page.nodes }),
      pageInfo: t.field({
        type: PageInfo,
        resolve: ({ nodes, hasNextPage, hasPreviousPage }) => ({
          hasNextPage,
          hasPreviousPage,
          startCursor: nodes.length ? cursorOf(nodes[0]!) : null,
          endCursor: nodes.length ? cursorOf(nodes[nodes.length - 1]!) : null,
        }),
      }),
    }),
  });
}
