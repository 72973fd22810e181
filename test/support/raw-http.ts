import net from 'node:net';

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The bytes of an HTTP/1.1 request, as a client on a plain socket writes them. */
export function requestBytes(url: string, { method, path, headers = {}, body }: RawRequest): string {
  const { host } = new URL(url);
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

/**
 * Sends a request on a raw socket and destroys the socket `afterMs` later (0: right after
 * writing) — a client hanging up at a moment of its choosing. `partial` writes only the
 * first half of the request: a hang-up before the server could even read it.
 */
export function hangUp(url: string, request: RawRequest, afterMs: number, { partial = false } = {}): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    socket.on('error', () => {});
    socket.on('close', () => resolve());
    socket.once('connect', () => {
      const bytes = requestBytes(url, request);
      socket.write(partial ? bytes.slice(0, Math.floor(bytes.length / 2)) : bytes);
      if (afterMs === 0) socket.destroy();
      else setTimeout(() => socket.destroy(), afterMs);
    });
  });
}

/** A raw socket reading a response; `text()` is everything received so far. */
export function openRaw(url: string, request: RawRequest) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
  let received = '';
  socket.on('error', () => {});
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (received += chunk));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.once('connect', () => socket.write(requestBytes(url, request)));
  return { socket, closed, text: () => received, destroy: () => socket.destroy() };
}

/** Polls `check` until it holds or `ms` passes (then throws with `what`). */
export async function until(check: () => boolean | Promise<boolean>, what = 'condition', ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
