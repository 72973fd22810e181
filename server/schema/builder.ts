import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Context } from '../context.js';
import { DomainError } from '../domain/shared/errors.js';
import { patternCovers } from '../domain/logs/channels.js';
import type { ServiceViewer, UserViewer, Viewer } from '../domain/auth/viewer.js';

type Signed<V> = Context & { viewer: V };

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: {
    signedIn: boolean;
    user: boolean;
    member: boolean;
    admin: boolean;
    service: boolean;
    /** publish logs to a channel: a service token whose patterns allow it, or an ADMIN/MEMBER */
    publishTo: string;
    /** report a service's status: a service token whose patterns allow its key, or an ADMIN */
    reportFor: string;
    /** read a channel or pattern: any person of the tenant, or a service token covering it */
    readFrom: string;
    /** a support widget's backend: a service token whose patterns include `tickets` */
    ticketsService: boolean;
    /** incidents: any person, or a service token with the READ_INCIDENTS scope */
    readIncidents: boolean;
    /** monitors, checks, alert rules, maintenance windows: any person, or a token with READ_MONITORS */
    readMonitors: boolean;
  };
  AuthContexts: {
    signedIn: Signed<Viewer>;
    user: Signed<UserViewer>;
    member: Signed<UserViewer>;
    admin: Signed<UserViewer>;
    service: Signed<ServiceViewer>;
    ticketsService: Signed<ServiceViewer>;
    readIncidents: Signed<Viewer>;
    readMonitors: Signed<Viewer>;
  };
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date | string };
  };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  // scope-auth first: a field's auth is checked before its loader batches anything
  plugins: [ScopeAuthPlugin, DataloaderPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: ({ viewer }) => new ViewerScopes(viewer),
    unauthorizedError: (_parent, { viewer }, info) => {
      const action = `${info.parentType.name === 'Mutation' ? 'call' : 'read'} ${info.fieldName}`;
      if (!viewer) return new DomainError('UNAUTHENTICATED', `Sign in to ${action}`);
      // a service token's refusal is nearly always a channel or key outside its patterns: say which
      // patterns it has (its own, so nothing is told that the caller does not hold)
      if (viewer.kind === 'service') {
        return new DomainError('FORBIDDEN', `Not allowed to ${action}: this service token covers only ${viewer.channels.join(', ')}`, {
          tokenPatterns: viewer.channels,
        });
      }
      return new DomainError('FORBIDDEN', `Not allowed to ${action}`);
    },
  },
});

// Root types require a signed-in caller; the few anonymous fields opt out with skipTypeScopes.
builder.queryType({ authScopes: { signedIn: true }, description: 'Everything you can read. Most fields need a signed-in caller ("Authorization: Bearer <token>")' });
builder.mutationType({ authScopes: { signedIn: true }, description: 'Everything you can change. All but register and login need a signed-in caller' });
builder.subscriptionType({
  authScopes: { signedIn: true },
  description: 'Live feeds, over Server-Sent Events (/graphql/stream, or /graphql with Accept: text/event-stream)',
});

/**
 * The scopes of one caller. A class (Pothos binds each loader to the object): a context held by
 * an open stream keeps these for the stream's life, and methods on the prototype cost no
 * closures per caller.
 */
class ViewerScopes {
  readonly signedIn: boolean;
  readonly user: boolean;
  readonly member: boolean;
  readonly admin: boolean;
  readonly service: boolean;
  readonly ticketsService: boolean;
  readonly readIncidents: boolean;
  readonly readMonitors: boolean;

  constructor(private readonly viewer: Viewer | null) {
    this.signedIn = viewer !== null;
    this.user = viewer?.kind === 'user';
    this.member = viewer?.kind === 'user' && viewer.role !== 'VIEWER';
    this.admin = viewer?.kind === 'user' && viewer.role === 'ADMIN';
    this.service = viewer?.kind === 'service';
    this.ticketsService = viewer?.kind === 'service' && viewer.channels.some((p) => patternCovers(p, 'tickets'));
    this.readIncidents = viewer?.kind === 'user' || (viewer?.kind === 'service' && viewer.scopes.includes('READ_INCIDENTS'));
    this.readMonitors = viewer?.kind === 'user' || (viewer?.kind === 'service' && viewer.scopes.includes('READ_MONITORS'));
  }

  publishTo(channel: string): boolean {
    const { viewer } = this;
    return viewer?.kind === 'service' ? viewer.channels.some((p) => patternCovers(p, channel)) : viewer?.kind === 'user' && viewer.role !== 'VIEWER';
  }

  reportFor(key: string): boolean {
    const { viewer } = this;
    return viewer?.kind === 'service' ? viewer.channels.some((p) => patternCovers(p, key)) : viewer?.kind === 'user' && viewer.role === 'ADMIN';
  }

  readFrom(pattern: string): boolean {
    const { viewer } = this;
    return viewer?.kind === 'service' ? viewer.channels.some((p) => patternCovers(p, pattern)) : viewer?.kind === 'user';
  }
}
