import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuth, resolveJwtSecret } from '../server/domain/auth/auth.js';
import { startApp, type TestApp } from './support/app.js';
import { addMember, codeOf, login } from './support/accounts.js';
import { renewingSubscriber } from './support/renewing-subscriber.js';
import { readFrames, sseClient, subscribe } from './support/sse.js';
import { storeKinds } from './support/services.js';

const LOGS = /* GraphQL */ `subscription ($after: String) { logs(channel: "wall", after: $after) { cursor message } }`;
const HEARTBEAT = /* GraphQL */ `subscription { heartbeat(intervalMs: 100) }`;
const REFRESH = 'mutation ($r: String) { refreshSession(refreshToken: $r) { token refreshToken expiresAt refreshExpiresAt } }';

describe.each(storeKinds)('sessions on %s', (storeKind) => {
  let t: TestApp;
  beforeAll(async () => {
    // access tokens last 2 s here, so a test sees several of them run out
    t = await startApp({ storeKind, config: { jwtTtlSeconds: 2 } });
  });
  afterAll(() => t.close());

  // access tokens last 2 s here: admin work signs in afresh rather than race the clock
  const adminToken = async (email: string) => (await login(t, email, 'correct horse battery')).token;

  it('a subscriber outlives several access-token lifetimes: it renews and resumes from its cursor, no gap, no duplicate', async () => {
    const owner = await t.signUp('wall');
    const watcher = await addMember(t, await adminToken(owner.email), 'VIEWER');
    const publisher = (await t.gql('mutation { createServiceToken(name: "p", channels: ["wall"]) { secret } }', {}, await adminToken(owner.email))).data.createServiceToken.secret;
    // from the start of the tenant's log: nothing published before the stream opens is missed
    const sub = renewingSubscriber(t.url, watcher, LOGS, 'logs', '0');
    let sent = 0;
    try {
      // publish one entry at a time, each once the subscriber has the one before, until it has renewed three times
      while (sub.endings.length < 3) {
        const result = await t.gql('mutation ($m: String!) { publishLogs(channel: "wall", entries: [{level: INFO, message: $m}]) { count } }', { m: `line ${sent}` }, publisher);
        expect(result.errors).toBeUndefined();
        sent++;
        await vi.waitFor(() => {
          if (sub.failure()) throw new Error(`subscriber failed: ${JSON.stringify(sub.failure())}`);
          expect(sub.received.length).toBeGreaterThanOrEqual(sent);
        }, { timeout: 15_000, interval: 20 });
      }
      expect(sub.received.map((e) => e.message)).toEqual(Array.from({ length: sent }, (_, i) => `line ${i}`));
      expect(sub.endings.every((e) => e.reason === 'TOKEN_EXPIRED')).toBe(true);
    } finally {
      sub.stop();
    }
  });

  it('renewing rotates the refresh token; a rotated-out one still renews within the grace, and after it ends the session', async () => {
    const owner = await t.signUp('rotate');
    const first = await t.gql(REFRESH, { r: (await login(t, owner.email, 'correct horse battery')).refreshToken });
    const second = await t.gql(REFRESH, { r: first.data.refreshSession.refreshToken });
    expect(second.data.refreshSession.refreshToken).not.toBe(first.data.refreshSession.refreshToken);
    expect(Date.parse(second.data.refreshSession.expiresAt)).toBeGreaterThan(Date.now());
    expect(Date.parse(second.data.refreshSession.refreshExpiresAt) - Date.now()).toBeGreaterThan(13 * 86_400_000);
    // two tabs renewing at once: the one that lost the race gets the current credential
    const raced = await t.gql(REFRESH, { r: first.data.refreshSession.refreshToken });
    expect(raced.data.refreshSession.refreshToken).toBe(second.data.refreshSession.refreshToken);

    // without a grace (a second auth over the same store), a reused token ends the whole session
    const strict = createAuth({ db: t.store.db, bus: t.bus, jwtSecret: await resolveJwtSecret(t.store.db), reuseGraceMs: 0 });
    try {
      await expect(strict.sessions.refresh(first.data.refreshSession.refreshToken)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', extensions: { reason: 'SESSION_REUSED' } });
      expect(codeOf(await t.gql(REFRESH, { r: second.data.refreshSession.refreshToken }))).toBe('UNAUTHENTICATED');
      expect(codeOf(await t.gql('{ viewer { id } }', {}, second.data.refreshSession.token))).toBe('UNAUTHENTICATED');
    } finally {
      await strict.stop();
    }
    // a refresh token is not an access token
    expect((await t.gql('{ viewer { id } }', {}, first.data.refreshSession.refreshToken)).errors![0]!.message).toMatch(/refreshSession/);
  });

  it('sign-out ends that session and its streams; sign-out everywhere ends every session', async () => {
    const owner = await t.signUp('signout');
    // (owner.token may have run out already: these two sessions are fresh)
    const laptop = await login(t, owner.email, 'correct horse battery');
    const phone = await login(t, owner.email, 'correct horse battery');
    const laptopClient = sseClient(t.url, laptop.token, true);
    const phoneClient = sseClient(t.url, phone.token, false);
    const onLaptop = subscribe(laptopClient, HEARTBEAT);
    const onPhone = subscribe(phoneClient, HEARTBEAT);
    await Promise.all([onLaptop.waitFor(1), onPhone.waitFor(1)]);

    expect((await t.gql('mutation { signOut }', {}, laptop.token)).data.signOut).toBe(true);
    await onLaptop.done;
    expect(onLaptop.results.at(-1).errors[0]).toMatchObject({ message: 'Signed out', extensions: { code: 'UNAUTHENTICATED', reason: 'SIGNED_OUT' } });
    expect(codeOf(await t.gql('{ viewer { id } }', {}, laptop.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(REFRESH, { r: laptop.refreshToken }))).toBe('UNAUTHENTICATED');
    // the phone's session goes on
    const count = onPhone.results.length;
    await onPhone.waitFor(count + 2);
    expect(codeOf(await t.gql('{ viewer { id } }', {}, phone.token))).toBeUndefined();

    expect((await t.gql('mutation { signOutEverywhere }', {}, phone.token)).data.signOutEverywhere).toBe(true);
    await onPhone.done;
    expect(onPhone.results.at(-1).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'SIGNED_OUT_EVERYWHERE' });
    expect(codeOf(await t.gql('{ viewer { id } }', {}, phone.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(REFRESH, { r: phone.refreshToken }))).toBe('UNAUTHENTICATED');
    laptopClient.dispose();
    phoneClient.dispose();
  });

  it('a lowered role ends the person’s streams; they renew and resubscribe as what they now are', async () => {
    const owner = await t.signUp('lowered');
    const person = await addMember(t, await adminToken(owner.email), 'ADMIN');
    const sub = renewingSubscriber(t.url, person, LOGS, 'logs');
    try {
      await vi.waitFor(() => expect(t.app.openStreams()).toBeGreaterThan(0));
      await t.gql('mutation ($id: ID!) { setMemberRole(id: $id, role: VIEWER) { role } }', { id: person.userId }, await adminToken(owner.email));
      await vi.waitFor(() => expect(sub.endings.map((e) => e.reason)).toContain('ROLE_LOWERED'));
      // resubscribed (a new stream), it receives what is published next
      await vi.waitFor(() => expect(t.app.openStreams()).toBeGreaterThan(0));
      await t.gql('mutation { publishLogs(channel: "wall", entries: [{level: INFO, message: "after"}]) { count } }', {}, await adminToken(owner.email));
      await vi.waitFor(() => {
        if (sub.failure()) throw new Error(`subscriber failed: ${JSON.stringify(sub.failure())}`);
        expect(sub.received.map((e) => e.message)).toContain('after');
      });
      expect(codeOf(await t.gql('{ serviceTokens { id } }', {}, sub.credentials().token))).toBe('FORBIDDEN');
    } finally {
      sub.stop();
    }
  });
});

describe('the browser session cookie', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['signUp']>>;
  beforeAll(async () => {
    t = await startApp();
    owner = await t.signUp('cookie');
  });
  afterAll(() => t.close());

  const signIn = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', variables: { e: owner.email, p: 'correct horse battery' } }),
    });
    const setCookie = response.headers.get('set-cookie')!;
    return { setCookie, cookie: setCookie.split(';')[0]!, token: ((await response.json()) as any).data.login.token as string };
  };
  const eventStream = (cookie: string, headers: Record<string, string> = {}, query = HEARTBEAT, path = '/graphql/stream') =>
    fetch(`${t.url}${path}?query=${encodeURIComponent(query)}`, { headers: { accept: 'text/event-stream', cookie, ...headers } });

  it('is set at sign-in: HttpOnly, SameSite=Strict, scoped to /graphql, Secure behind TLS', async () => {
    const { setCookie } = await signIn();
    expect(setCookie).toMatch(/^pb_session=pbr_[\w-]+; Path=\/graphql; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect((await signIn({ 'x-forwarded-proto': 'https' })).setCookie).toMatch(/; Secure;/);
  });

  it('authenticates a same-origin EventSource GET on both endpoints', async () => {
    const { cookie } = await signIn();
    for (const path of ['/graphql/stream', '/graphql']) {
      for (const site of [{}, { 'sec-fetch-site': 'same-origin' }] as Record<string, string>[]) {
        const response = await eventStream(cookie, site, HEARTBEAT, path);
        expect(response.status, path).toBe(200);
        const text = await readFrames(response, (s) => s.includes('"heartbeat"'));
        expect(text, path).toContain('"heartbeat"');
      }
    }
  });

  it('is ignored cross-site and same-site (another origin), and for anything but an event-stream GET', async () => {
    const { cookie } = await signIn();
    for (const site of ['cross-site', 'same-site']) {
      const response = await eventStream(cookie, { 'sec-fetch-site': site });
      const text = await readFrames(response, (s) => s.includes('event: complete') || s.includes('errors'));
      expect(text, site).toContain('UNAUTHENTICATED');
      expect(text, site).not.toContain('"heartbeat":"');
    }
    // a JSON POST with only the cookie is anonymous: the cookie never authenticates a mutation or a query
    const before = (await t.gql('{ serviceTokens { id } }', {}, owner.token)).data.serviceTokens.length;
    const post = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ query: 'mutation { createServiceToken(name: "csrf", channels: ["*"]) { secret } }' }),
    });
    expect(codeOf((await post.json()) as any)).toBe('UNAUTHENTICATED');
    // a simple (form or text/plain) POST is refused before anything runs, cookie or not
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const simple = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': contentType, cookie },
        body: JSON.stringify({ query: 'mutation { signOut }' }),
      });
      expect(simple.status).toBe(403);
    }
    // a mutation over GET never runs
    const get = await eventStream(cookie, {}, 'mutation { signOutEverywhere }');
    expect(await get.text()).not.toContain('"signOutEverywhere":true');
    expect((await t.gql('{ serviceTokens { id } }', {}, owner.token)).data.serviceTokens).toHaveLength(before);
    expect(codeOf(await t.gql('{ viewer { id } }', {}, owner.token))).toBeUndefined();
  });

  it('renews the session (same origin only) and signs out', async () => {
    const { cookie } = await signIn();
    const renew = (headers: Record<string, string>) =>
      fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify({ query: 'mutation { refreshSession { token } }' }) });
    const crossSite = await renew({ 'sec-fetch-site': 'cross-site' });
    expect(codeOf((await crossSite.json()) as any)).toBe('UNAUTHENTICATED');
    const renewed = await renew({ 'sec-fetch-site': 'same-origin' });
    const next = renewed.headers.get('set-cookie')!.split(';')[0]!;
    expect(next).not.toBe(cookie);
    const { token } = ((await renewed.json()) as any).data.refreshSession;
    expect(codeOf(await t.gql('{ viewer { id } }', {}, token))).toBeUndefined();

    const stream = await eventStream(next);
    const signOut = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: next }, body: JSON.stringify({ query: 'mutation { signOut }' }) });
    expect(((await signOut.json()) as any).data.signOut).toBe(true);
    expect(signOut.headers.get('set-cookie')).toMatch(/^pb_session=; .*Max-Age=0$/);
    const text = await readFrames(stream, (s) => s.includes('Signed out'));
    expect(text).toContain('"reason":"SIGNED_OUT"');
    const after = await readFrames(await eventStream(next), (s) => s.includes('event: complete'));
    expect(after).toContain('"code":"UNAUTHENTICATED"');
    expect(after).not.toContain('"heartbeat":"');
    expect(codeOf(await t.gql('{ viewer { id } }', {}, token))).toBe('UNAUTHENTICATED');
  });
});
