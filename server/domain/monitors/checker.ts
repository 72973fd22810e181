import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { AddressRefused, checkAddress, checkHostname, guardedLookup, type AddressPolicy } from '../shared/address-policy.js';
import { parseExpectedStatus, statusExpected } from './expected-status.js';

export interface CheckTarget {
  kind: 'HTTP' | 'TCP';
  target: string;
  method: string;
  timeoutMs: number;
  expectedStatus: string;
  keyword: string | null;
  checkSsl: boolean;
}

export interface CheckOutcome {
  ok: boolean;
  httpStatus: number | null;
  /**
   * How long the target took to answer: HTTP, the whole response; TCP, the connect. Null when
   * it never answered (refused, timed out, not found, address refused): a failure that got no
   * answer has no response time, and charting its duration as one would look like a fast site.
   */
  responseTimeMs: number | null;
  /** How long the attempt took, answered or not (a timeout's is about the timeout). */
  durationMs: number;
  error: string | null;
  certExpiresAt: Date | null;
  certValid: boolean | null;
}

const MAX_BODY_BYTES = 1_048_576;

/** Runs one check. Never throws: every failure is an outcome with an error text. */
export async function runCheck(target: CheckTarget, policy: AddressPolicy): Promise<CheckOutcome> {
  const started = performance.now();
  const failed = (error: string): CheckOutcome => ({
    ok: false,
    httpStatus: null,
    responseTimeMs: null,
    durationMs: Math.round(performance.now() - started),
    error,
    certExpiresAt: null,
    certValid: null,
  });
  try {
    return target.kind === 'TCP' ? await checkTcp(target, policy, started) : await checkHttp(target, policy, started);
  } catch (error) {
    if (error instanceof AddressRefused) return failed(`refused: ${error.message}`);
    return failed(describe(error));
  }
}

/** The connected peer must pass the policy too: DNS can change between lookup and connect. */
function verifyPeer(socket: net.Socket, policy: AddressPolicy) {
  if (socket.remoteAddress) checkAddress(socket.remoteAddress, policy);
}

function checkTcp(target: CheckTarget, policy: AddressPolicy, started: number): Promise<CheckOutcome> {
  const { host, port } = parseHostPort(target.target);
  checkHostname(host, policy);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, lookup: guardedLookup(policy) as never, timeout: target.timeoutMs });
    // a hard deadline from the start (DNS included): the scheduler's lease counts on it
    const deadline = setTimeout(() => socket.destroy(new Error(`timed out after ${target.timeoutMs} ms`)), target.timeoutMs);
    socket.once('close', () => clearTimeout(deadline));
    socket.once('connect', () => {
      try {
        verifyPeer(socket, policy);
      } catch (error) {
        socket.destroy();
        return reject(error);
      }
      socket.destroy();
      const elapsed = Math.round(performance.now() - started);
      resolve({ ok: true, httpStatus: null, responseTimeMs: elapsed, durationMs: elapsed, error: null, certExpiresAt: null, certValid: null });
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`timed out after ${target.timeoutMs} ms`));
    });
    socket.once('error', reject);
  });
}

function checkHttp(target: CheckTarget, policy: AddressPolicy, started: number): Promise<CheckOutcome> {
  const url = new URL(target.target);
  checkHostname(url.hostname, policy);
  const expected = parseExpectedStatus(target.expectedStatus);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: target.method,
        lookup: guardedLookup(policy) as never,
        timeout: target.timeoutMs,
        // validity is recorded rather than enforced here; checkSsl decides below
        rejectUnauthorized: false,
        headers: { 'user-agent': 'Pulseboard-Monitor/1.0', accept: '*/*' },
        agent: false,
      },
      (response) => {
        let certExpiresAt: Date | null = null;
        let certValid: boolean | null = null;
        const socket = response.socket as TLSSocket;
        if (url.protocol === 'https:' && typeof socket.getPeerCertificate === 'function') {
          const cert = socket.getPeerCertificate();
          certExpiresAt = cert?.valid_to ? new Date(cert.valid_to) : null;
          certValid = socket.authorized && (!certExpiresAt || certExpiresAt.getTime() > Date.now());
        }
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (!target.keyword || size > MAX_BODY_BYTES) return;
          size += chunk.length;
          chunks.push(chunk);
        });
        response.on('end', () => {
          const responseTimeMs = Math.round(performance.now() - started);
          // answered, even if wrongly: the response time is real
          const base = { httpStatus: status, responseTimeMs, durationMs: responseTimeMs, certExpiresAt, certValid };
          if (!statusExpected(status, expected)) return resolve({ ...base, ok: false, error: `unexpected status ${status} (expected ${target.expectedStatus})` });
          if (target.keyword && !Buffer.concat(chunks).toString('utf8').includes(target.keyword)) {
            return resolve({ ...base, ok: false, error: `keyword "${target.keyword}" not found in the response` });
          }
          if (target.checkSsl && certValid === false) {
            const reason = socket.authorizationError ? String(socket.authorizationError) : 'expired';
            return resolve({ ...base, ok: false, error: `certificate invalid: ${reason}` });
          }
          resolve({ ...base, ok: true, error: null });
        });
        response.on('error', reject);
      },
    );
    request.once('socket', (socket) => {
      socket.once('connect', () => {
        try {
          verifyPeer(socket, policy);
        } catch (error) {
          request.destroy(error as Error);
        }
      });
    });
    request.once('timeout', () => request.destroy(new Error(`timed out after ${target.timeoutMs} ms`)));
    // `timeout` above is per idle socket: a target trickling bytes would hold the check for
    // ever. The deadline bounds the whole check (DNS, connect, body), which the scheduler's
    // lease counts on.
    const deadline = setTimeout(() => request.destroy(new Error(`timed out after ${target.timeoutMs} ms`)), target.timeoutMs);
    request.once('close', () => clearTimeout(deadline));
    request.once('error', reject);
    request.end();
  });
}

export function parseHostPort(target: string): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:\s/]+):(\d{1,5})$/.exec(target.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65_535) throw new Error(`"${target}" is not host:port`);
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ECONNREFUSED') return 'connection refused';
  if (e?.code === 'ENOTFOUND') return 'host not found';
  if (e?.code === 'ECONNRESET') return 'connection reset';
  return e?.message ?? String(error);
}
