import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Context } from '../context.js';
import { DomainError } from '../domain/errors.js';
import type { ServiceViewer, UserViewer, Viewer } from '../domain/viewer.js';

type Signed<V> = Context & { viewer: V };

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: {
    signedIn: boolean;
    user: boolean;
    member: boolean;
    admin: boolean;
    service: boolean;
  };
  AuthContexts: {
    signedIn: Signed<Viewer>;
    user: Signed<UserViewer>;
    member: Signed<UserViewer>;
    admin: Signed<UserViewer>;
    service: Signed<ServiceViewer>;
  };
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    DateTime: { Input: Date; Output: Date | string };
  };
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: ({ viewer }) => ({
      signedIn: viewer !== null,
      user: viewer?.kind === 'user',
      member: viewer?.kind === 'user' && viewer.role !== 'VIEWER',
      admin: viewer?.kind === 'user' && viewer.role === 'ADMIN',
      service: viewer?.kind === 'service',
    }),
    unauthorizedError: (_parent, { viewer }, info) =>
      viewer
        ? new DomainError('FORBIDDEN', `Not allowed to ${info.parentType.name === 'Mutation' ? 'call' : 'read'} ${info.fieldName}`)
        : new DomainError('UNAUTHENTICATED', `Sign in to ${info.parentType.name === 'Mutation' ? 'call' : 'read'} ${info.fieldName}`),
  },
});

// Root types require a signed-in caller; the few anonymous fields opt out with skipTypeScopes.
builder.queryType({ authScopes: { signedIn: true } });
builder.mutationType({ authScopes: { signedIn: true } });
builder.subscriptionType({ authScopes: { signedIn: true } });
