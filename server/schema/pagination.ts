import type { ObjectRef } from '@pothos/core';
import { builder } from './builder.js';

export interface PageInfoShape {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export const PageInfo = builder.objectRef<PageInfoShape>('PageInfo').implement({
  description: 'Where a page sits in its list (Relay-style): whether there is more, and the cursors to get it',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage', { description: 'More items come after this page: ask again with `after: endCursor`' }),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage', { description: 'More items come before this page: ask again with `before: startCursor`' }),
    startCursor: t.exposeString('startCursor', { nullable: true, description: 'The cursor of the first item on the page; null when the page is empty' }),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'The cursor of the last item on the page; null when the page is empty' }),
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
 * `items` names the nodes in descriptions ("log entries").
 */
export function connection<T>(name: string, node: ObjectRef<Types, T>, cursorOf: (node: T) => string, items = `${name} items`) {
  const Edge = builder.objectRef<T>(`${name}Edge`).implement({
    description: `One of a page of ${items}, with its cursor`,
    fields: (t) => ({
      cursor: t.string({ description: 'Where this item sits: pass as `after` or `before` to page from here', resolve: (n) => cursorOf(n) }),
      // Pothos cannot see through a generic node type; n is that node
      node: t.field({ type: node, description: 'The item itself', resolve: (n) => n as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    description: `A page of ${items} (Relay-style connection)`,
    fields: (t) => ({
      edges: t.field({ type: [Edge], description: `The ${items} of this page, each with its cursor`, resolve: (page) => page.nodes }),
      pageInfo: t.field({
        type: PageInfo,
        description: 'Whether there are more, and the cursors to get them',
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
