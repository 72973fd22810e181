import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { getNamedType, isObjectType, type GraphQLNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../server/schema/index.js';
import { startApp, type TestApp } from './support/app.js';
import { addMember, addServiceToken, codeOf } from './support/people.js';
import { storeKinds } from './support/services.js';
import { closedPort, startSite } from './support/targets.js';

// checks run when a test runs them: the scheduler's tick never comes during a test
const config = { monitorAllowPrivate: true, monitorMinIntervalSeconds: 1, monitorTickMs: 3_600_000 };
const PUBLIC = /* GraphQL */ `
  query ($slug: String!) {
    statusPage(slug: $slug) {
      slug title description status updatedAt refreshAfterSeconds
      monitors { position name status uptime days { date checks failures uptime } }
      incidents { monitorName title status startedAt acknowledgedAt resolvedAt updates { at body } }
    }
  }
`;
const CREATE = /* GraphQL */ `
  mutation ($input: StatusPageInput!) { createStatusPage(input: $input) { id slug path monitors { position label monitor { id } } } }
`;
const UPDATE = /* GraphQL */ `
  mutation ($id: ID!, $input: StatusPageInput!) { updateStatusPage(id: $id, input: $input) { id title } }
`;

const slugOf = (name: string) => `${name}-${randomBytes(4).toString('hex')}`;

describe.each(storeKinds)('public status pages on %s', (storeKind) => {
  let t: TestApp;
  let site: Awaited<ReturnType<typeof startSite>>;
  const webRoot = mkdtempSync(join(tmpdir(), 'pb-web-'));
  beforeAll(async () => {
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Pulseboard console</title>');
    t = await startApp({ storeKind, config, webRoot });
    site = await startSite();
  });
  afterAll(async () => {
    await site.close();
    await t.close();
  });

  /** A tenant with three monitors (two shown, one not), an outage on one, notes of both kinds. */
  async function tenantWithPage() {
    const admin = await t.signUp('status');
    const down = `http://127.0.0.1:${await closedPort()}/`;
    const monitor = async (name: string, url: string) => {
      const id = (await t.gql(`mutation { createMonitor(input: {name: "${name}", url: "${url}", intervalSeconds: 3600}) { id } }`, {}, admin.token)).data.createMonitor.id as string;
      await t.store.db.execute(sql`update monitors set next_check_at = now() + interval '1 hour' where id = ${id}`);
      return id;
    };
    const api = await monitor('api-internal-name', site.url);
    const db = await monitor('db', down);
    const hidden = await monitor('secret-backoffice', `${site.url}secret-internal-path`);
    await t.gql('mutation { createAlertRule(input: {name: "down", kind: DOWN}) { id } }', {}, admin.token);
    for (const id of [api, api, db, hidden]) await t.gql(`mutation { runMonitorCheck(id: "${id}") { ok } }`, {}, admin.token);
    const incidents = (await t.gql('{ incidents { edges { node { id monitor { id } title } } } }', {}, admin.token)).data.incidents.edges.map((e: any) => e.node);
    const dbIncident = incidents.find((i: any) => i.monitor.id === db);
    await t.gql(`mutation { addIncidentNote(id: "${dbIncident.id}", body: "root cause: password rotated by hand") { kind } }`, {}, admin.token);
    await t.gql(`mutation { addIncidentNote(id: "${dbIncident.id}", body: "We are investigating", public: true) { kind } }`, {}, admin.token);
    const slug = slugOf('acme');
    const page = await t.gql(
      CREATE,
      { input: { slug, title: 'Acme status', description: 'Live status of Acme', monitors: [{ monitorId: api, label: 'Public API' }, { monitorId: db }] } },
      admin.token,
    );
    if (!page.data) throw new Error(JSON.stringify(page.errors));
    return { admin, api, db, hidden, slug, page: page.data.createStatusPage, incidents };
  }

  it('an ADMIN publishes chosen monitors; anyone reads the page without sign-in, as GraphQL, JSON and a badge', async () => {
    const { slug, page, api, db } = await tenantWithPage();
    expect(page).toMatchObject({ slug, path: `/status/${slug}`, monitors: [{ position: 0, label: 'Public API', monitor: { id: api } }, { position: 1, label: null, monitor: { id: db } }] });

    const anonymous = await t.gql(PUBLIC, { slug });
    expect(anonymous.errors).toBeUndefined();
    const view = anonymous.data.statusPage;
    expect(view).toMatchObject({ slug, title: 'Acme status', description: 'Live status of Acme', status: 'PARTIAL_OUTAGE', refreshAfterSeconds: 15 });
    expect(view.monitors.map((m: any) => [m.position, m.name, m.status, m.uptime])).toEqual([
      [0, 'Public API', 'UP', 1],
      [1, 'db', 'DOWN', 0],
    ]);
    for (const m of view.monitors) {
      expect(m.days).toHaveLength(90);
      expect(m.days.at(-1).date).toBe(new Date().toISOString().slice(0, 10));
      expect(m.days.slice(0, -1).every((d: any) => d.checks === 0 && d.uptime === null)).toBe(true);
    }
    expect(view.monitors[0].days.at(-1)).toMatchObject({ checks: 2, failures: 0, uptime: 1 });
    expect(view.incidents).toEqual([
      expect.objectContaining({ monitorName: 'db', title: 'db is not reachable', status: 'INVESTIGATING', resolvedAt: null, updates: [expect.objectContaining({ body: 'We are investigating' })] }),
    ]);

    const json = await fetch(`${t.url}/status/${slug}.json`);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(json.headers.get('cache-control')).toBe('public, max-age=10');
    expect(json.headers.get('access-control-allow-origin')).toBe('*');
    const body = await json.json();
    expect(body).toMatchObject({ slug, title: 'Acme status', status: 'PARTIAL_OUTAGE' });
    expect(body.monitors.map((m: any) => m.name)).toEqual(['Public API', 'db']);
    const again = await fetch(`${t.url}/status/${slug}.json`, { headers: { 'if-none-match': json.headers.get('etag')! } });
    expect(again.status).toBe(304);

    const badge = await fetch(`${t.url}/status/${slug}/badge.svg?label=acme`);
    expect(badge.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await badge.text();
    expect(svg).toContain('acme: partial outage');
    expect(svg.startsWith('<svg')).toBe(true);
  });

  it('shows nothing else of the tenant: no URL, id, other monitor, internal title or note, member, or other data', async () => {
    const { slug, admin, api, db, hidden, incidents } = await tenantWithPage();
    const text = JSON.stringify([(await t.gql(PUBLIC, { slug })).data, await (await fetch(`${t.url}/status/${slug}.json`)).json()]);
    const secrets = [
      site.url,
      String(site.port),
      'api-internal-name',
      'secret-backoffice',
      'secret-internal-path',
      'connection refused',
      'root cause',
      admin.email,
      admin.tenantId,
      admin.userId,
      api,
      db,
      hidden,
      ...incidents.flatMap((i: any) => [i.id, i.title]),
    ];
    for (const secret of secrets) expect(text, secret).not.toContain(secret);

    for (const query of [
      '{ monitors { id } }',
      `{ monitor(id: "${api}") { url } }`,
      '{ incidents { edges { cursor } } }',
      '{ members { email } }',
      '{ alertRules { webhookUrls } }',
      '{ services { key } }',
      '{ statusPages { id } }',
      '{ logHistory(channel: "*") { edges { cursor } } }',
      '{ webhookDeliveries { edges { cursor } } }',
    ]) {
      expect(codeOf(await t.gql(query)), query).toBe('UNAUTHENTICATED');
    }
    expect(codeOf(await t.gql(`mutation { deleteStatusPage(id: "${api}") }`))).toBe('UNAUTHENTICATED');
  });

  it('a slug of tenant A gives nothing of tenant B; B cannot edit A’s page or show A’s monitors; roles and tokens are held to their scope', async () => {
    const a = await tenantWithPage();
    const b = await t.signUp('status-b');
    const bMonitor = (await t.gql(`mutation { createMonitor(input: {name: "b-only", url: "${site.url}", intervalSeconds: 3600}) { id } }`, {}, b.token)).data.createMonitor.id;
    const aView = JSON.stringify((await t.gql(PUBLIC, { slug: a.slug })).data);
    expect(aView).not.toContain('b-only');

    expect(codeOf(await t.gql(UPDATE, { id: a.page.id, input: { slug: a.slug, title: 'pwned', monitors: [] } }, b.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(`mutation { deleteStatusPage(id: "${a.page.id}") }`, {}, b.token))).toBe('NOT_FOUND');
    expect((await t.gql('{ statusPages { id } }', {}, b.token)).data.statusPages).toEqual([]);
    const borrow = await t.gql(CREATE, { input: { slug: slugOf('b'), title: 'B', monitors: [{ monitorId: a.api }] } }, b.token);
    expect(borrow.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'monitors' });
    const taken = await t.gql(CREATE, { input: { slug: a.slug, title: 'B', monitors: [{ monitorId: bMonitor }] } }, b.token);
    expect(taken.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slug' });
    expect((await t.gql(PUBLIC, { slug: a.slug })).data.statusPage.title).toBe('Acme status');

    const member = await addMember(t, a.admin.token, 'MEMBER');
    expect(codeOf(await t.gql(CREATE, { input: { slug: slugOf('m'), title: 'M', monitors: [] } }, member))).toBe('FORBIDDEN');
    expect((await t.gql('{ statusPages { slug } }', {}, member)).data.statusPages).toEqual([{ slug: a.slug }]);
    const narrow = await addServiceToken(t, a.admin.token, ['etl:*']);
    expect(codeOf(await t.gql('{ statusPages { id } }', {}, narrow))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(`mutation { deleteStatusPage(id: "${a.page.id}") }`, {}, narrow))).toBe('FORBIDDEN');

    const bad = await t.gql(CREATE, { input: { slug: 'Not A Slug!', title: 'x', monitors: [] } }, a.admin.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slug' });
  });

  it('an edit shows at once, a deleted page is gone, unknown slugs answer 404, and /status/<slug> is left to the console', async () => {
    const { slug, page, admin, api } = await tenantWithPage();
    await t.gql(PUBLIC, { slug });
    const renamed = slugOf('renamed');
    await t.gql(UPDATE, { id: page.id, input: { slug: renamed, title: 'Acme, renamed', monitors: [{ monitorId: api }] } }, admin.token);
    expect((await t.gql(PUBLIC, { slug })).data.statusPage).toBeNull();
    const view = (await t.gql(PUBLIC, { slug: renamed })).data.statusPage;
    expect(view).toMatchObject({ title: 'Acme, renamed', status: 'OPERATIONAL' });
    expect(view.monitors.map((m: any) => m.name)).toEqual(['api-internal-name']);

    const spa = await fetch(`${t.url}/status/${renamed}`);
    expect(spa.status).toBe(200);
    expect(await spa.text()).toContain('Pulseboard console');

    expect((await t.gql(`mutation { deleteStatusPage(id: "${page.id}") }`, {}, admin.token)).data.deleteStatusPage).toBe(true);
    expect((await t.gql(PUBLIC, { slug: renamed })).data.statusPage).toBeNull();
    const gone = await fetch(`${t.url}/status/${renamed}.json`);
    expect(gone.status).toBe(404);
    expect((await gone.json()).error.code).toBe('NOT_FOUND');
    const badge = await fetch(`${t.url}/status/${renamed}/badge.svg`);
    expect(badge.status).toBe(404);
    expect(await badge.text()).toContain('unknown');
    // a malformed or hostile address is refused (400, 404) or, for the static front door, is the
    // console's own page (its SPA fallback) — never a file from elsewhere, never a 5xx
    for (const path of ['/status/%ZZ.json', '/status/..%2Fetc.json', `/status/${'x'.repeat(200)}.json`]) {
      const response = await fetch(`${t.url}${path}`);
      expect([200, 400, 404], path).toContain(response.status);
      if (response.status === 200) expect(await response.text(), path).toContain('Pulseboard console');
    }
  });
});

describe('the public part of the schema', () => {
  it('reaches only public types: no path from statusPage leads to a tenant’s objects', () => {
    const seen = new Set<string>();
    const visit = (type: GraphQLNamedType) => {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      if (isObjectType(type)) for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
    };
    visit(getNamedType(schema.getQueryType()!.getFields().statusPage!.type));
    const objects = [...seen].filter((name) => isObjectType(schema.getType(name)));
    expect(objects.every((name) => name.startsWith('Public')), objects.join(', ')).toBe(true);
  });
});
