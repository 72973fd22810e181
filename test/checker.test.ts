import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressRefused, checkAddress, guardedLookup } from '../server/domain/shared/address-policy.js';
import { runCheck, type CheckTarget } from '../server/domain/monitors/checker.js';
import { closedPort, selfSignedCert, startSite, startTcp } from './support/targets.js';

const allow = { allowPrivate: true };
const http = (url: string, extra: Partial<CheckTarget> = {}): CheckTarget => ({
  kind: 'HTTP',
  target: url,
  method: 'GET',
  timeoutMs: 1_000,
  expectedStatus: '200-399',
  keyword: null,
  checkSsl: false,
  ...extra,
});

let site: Awaited<ReturnType<typeof startSite>>;
beforeAll(async () => {
  site = await startSite({ body: 'balance service ok' });
});
afterAll(() => site.close());

describe('HTTP checks against a local site', () => {
  it('up: expected status, keyword found, response time recorded', async () => {
    const outcome = await runCheck(http(site.url, { keyword: 'service ok' }), allow);
    expect(outcome).toMatchObject({ ok: true, httpStatus: 200, error: null });
    expect(outcome.responseTimeMs).toBeGreaterThanOrEqual(0);
  });

  it('down: connection refused', async () => {
    const outcome = await runCheck(http(`http://127.0.0.1:${await closedPort()}/`), allow);
    expect(outcome).toMatchObject({ ok: false, httpStatus: null, error: 'connection refused' });
  });

  it('down: timeout', async () => {
    const hanging = await startSite({ hang: true });
    try {
      const outcome = await runCheck(http(hanging.url, { timeoutMs: 200 }), allow);
      expect(outcome).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
    } finally {
      await hanging.close();
    }
  });

  it('down: a target trickling its body is cut at the timeout, however steadily it sends (the scheduler lease counts on it)', async () => {
    const { createServer } = await import('node:http');
    const timers = new Set<NodeJS.Timeout>();
    const trickling = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // a byte every 50 ms: never idle for the socket timeout, never done
      const timer = setInterval(() => res.write('.'), 50);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => trickling.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = trickling.address() as { port: number };
      const started = performance.now();
      const outcome = await runCheck(http(`http://127.0.0.1:${port}/`, { timeoutMs: 300 }), allow);
      expect(outcome).toMatchObject({ ok: false, error: 'timed out after 300 ms' });
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      for (const timer of timers) clearInterval(timer);
      trickling.closeAllConnections();
      await new Promise((resolve) => trickling.close(resolve));
    }
  });

  it('down: wrong status, and a custom expected list', async () => {
    const failing = await startSite({ status: 503 });
    try {
      expect(await runCheck(http(failing.url), allow)).toMatchObject({ ok: false, httpStatus: 503, error: 'unexpected status 503 (expected 200-399)' });
      expect(await runCheck(http(failing.url, { expectedStatus: '200,503' }), allow)).toMatchObject({ ok: true, httpStatus: 503 });
    } finally {
      await failing.close();
    }
  });

  it('down: missing keyword', async () => {
    const outcome = await runCheck(http(site.url, { keyword: 'maintenance' }), allow);
    expect(outcome).toMatchObject({ ok: false, httpStatus: 200, error: 'keyword "maintenance" not found in the response' });
  });
});

describe('certificates', () => {
  it('records expiry and validity of a self-signed certificate; checkSsl makes it a failure', async () => {
    const tls = await startSite({}, selfSignedCert(5));
    try {
      const lenient = await runCheck(http(tls.url), allow);
      expect(lenient.ok).toBe(true);
      expect(lenient.certValid).toBe(false);
      const daysLeft = (lenient.certExpiresAt!.getTime() - Date.now()) / 86_400_000;
      expect(daysLeft).toBeGreaterThan(4);
      expect(daysLeft).toBeLessThanOrEqual(5);
      const strict = await runCheck(http(tls.url, { checkSsl: true }), allow);
      expect(strict.ok).toBe(false);
      expect(strict.error).toBe('certificate invalid: DEPTH_ZERO_SELF_SIGNED_CERT');
    } finally {
      await tls.close();
    }
  });
});

describe('TCP checks', () => {
  it('up when a connection is accepted, down when refused', async () => {
    const tcp = await startTcp();
    try {
      const up = await runCheck({ ...http(''), kind: 'TCP', target: tcp.target }, allow);
      expect(up).toMatchObject({ ok: true, httpStatus: null, error: null });
    } finally {
      await tcp.close();
    }
    const down = await runCheck({ ...http(''), kind: 'TCP', target: `127.0.0.1:${await closedPort()}` }, allow);
    expect(down).toMatchObject({ ok: false, error: 'connection refused' });
  });
});

describe('address rules at connect time', () => {
  it('refuses loopback without MONITOR_ALLOW_PRIVATE, by literal and after DNS', async () => {
    const literal = await runCheck(http(site.url), { allowPrivate: false });
    expect(literal).toMatchObject({ ok: false });
    expect(literal.error).toContain('refused: 127.0.0.1 is a private or loopback address');

    // a name resolving to loopback (from /etc/hosts, no network) is refused once resolved
    const error = await new Promise<Error | null>((resolve) => guardedLookup({ allowPrivate: false })('localhost', {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(AddressRefused);
  });

  it.each([
    ['169.254.169.254', true],
    ['::ffff:169.254.169.254', true],
    ['fe80::1', true],
    ['10.1.2.3', false],
    ['192.168.1.1', false],
    ['::1', false],
  ])('refuses %s (always: %s)', (address, always) => {
    expect(() => checkAddress(address, { allowPrivate: false })).toThrow(AddressRefused);
    if (always) expect(() => checkAddress(address, { allowPrivate: true })).toThrow(AddressRefused);
    else expect(() => checkAddress(address, { allowPrivate: true })).not.toThrow();
  });
});
