import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { addMember, codeOf } from './support/accounts.js';
import { sseClient, subscribe } from './support/sse.js';
import { createTestBus, createTestStore, postgresUrl, redisUrl } from './support/services.js';
import type { Bus } from '../server/bus/index.js';
import type { Store } from '../server/db/client.js';

const HEARTBEAT = /* GraphQL */ `subscription { heartbeat(intervalMs: 100) }`;

/**
 * Two instances on one PostgreSQL and one Redis: what an admin does on one takes effect on the
 * other at once — its cached credentials are dropped and its open streams end.
 */
describe.skipIf(!redisUrl || !postgresUrl)('access changes across two instances (PostgreSQL + Redis)', () => {
  let store: Store;
  let buses: Bus[];
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    const prefix = `pbtest:${randomBytes(4).toString('hex')}:`;
    buses = [createTestBus('redis', prefix), createTestBus('redis', prefix)];
    a = await startApp({ store, bus: buses[0] });
    b = await startApp({ store, bus: buses[1] });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await Promise.all(buses.map((bus) => bus.close()));
    await store.close();
  });

  /** A stream on instance B, and the person's credentials warm in B's cache. */
  async function watchingOnB(token: string) {
    expect(codeOf(await b.gql('{ members { id } }', {}, token))).toBeUndefined();
    const client = sseClient(b.url, token, false);
    const sub = subscribe(client, HEARTBEAT);
    await sub.waitFor(1);
    return { client, sub };
  }

  it('a member removed on A: their open stream on B ends with UNAUTHENTICATED and B refuses their next request', async () => {
    const owner = await a.signUp('scale-remove');
    const member = await addMember(a, owner.token, 'MEMBER');
    const { client, sub } = await watchingOnB(member.token);
    await a.gql('mutation ($id: ID!) { removeMember(id: $id) { id } }', { id: member.userId }, owner.token);
    await sub.done;
    expect(sub.results.at(-1).errors[0]).toMatchObject({ message: 'You were removed from this workspace', extensions: { code: 'UNAUTHENTICATED', reason: 'REMOVED' } });
    expect(codeOf(await b.gql('{ members { id } }', {}, member.token))).toBe('UNAUTHENTICATED');
    client.dispose();
  });

  it('an ADMIN demoted on A: refused admin work on B at once, and their stream on B ends', async () => {
    const owner = await a.signUp('scale-demote');
    const admin = await addMember(a, owner.token, 'ADMIN');
    expect(codeOf(await b.gql('{ serviceTokens { id } }', {}, admin.token))).toBeUndefined();
    const { client, sub } = await watchingOnB(admin.token);
    await a.gql('mutation ($id: ID!) { setMemberRole(id: $id, role: MEMBER) { role } }', { id: admin.userId }, owner.token);
    await sub.done;
    expect(sub.results.at(-1).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'ROLE_LOWERED' });
    await vi.waitFor(async () => expect(codeOf(await b.gql('{ serviceTokens { id } }', {}, admin.token))).toBe('FORBIDDEN'), { timeout: 2_000 });
    // the same token still reads what a MEMBER may
    expect(codeOf(await b.gql('{ members { id } }', {}, admin.token))).toBeUndefined();
    client.dispose();
  });

  it('signing out everywhere on A ends streams on B and B refuses the tokens', async () => {
    const owner = await a.signUp('scale-signout');
    const { client, sub } = await watchingOnB(owner.token);
    await a.gql('mutation { signOutEverywhere }', {}, owner.token);
    await sub.done;
    expect(sub.results.at(-1).errors[0].extensions.reason).toBe('SIGNED_OUT_EVERYWHERE');
    expect(codeOf(await b.gql('{ viewer { id } }', {}, owner.token))).toBe('UNAUTHENTICATED');
    client.dispose();
  });

  it('a service token revoked on A is refused by B from the next request, though B had it cached', async () => {
    const owner = await a.signUp('scale-revoke');
    const created = (await a.gql('mutation { createServiceToken(name: "s", channels: ["*"]) { secret token { id } } }', {}, owner.token)).data.createServiceToken;
    // B looks the token up until its answer comes from the cache (B listens to the tenant's changes by then)
    for (let i = 0; i < 3; i++) expect(codeOf(await b.gql('{ __typename }', {}, created.secret))).toBeUndefined();
    expect(b.app.auth.cache.size()).toBeGreaterThan(0);
    await a.gql('mutation ($id: ID!) { revokeServiceToken(id: $id) { id } }', { id: created.token.id }, owner.token);
    await vi.waitFor(async () => expect(codeOf(await b.gql('{ __typename }', {}, created.secret))).toBe('UNAUTHENTICATED'), { timeout: 2_000 });
  });
});
