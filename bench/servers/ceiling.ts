// The ceiling: a bare node:http server writing one pre-serialized SSE frame to every open
// response. Nothing a GraphQL server does per event can beat this on the same machine.
import { createServer, type ServerResponse } from 'node:http';

const streams = new Map<string, Set<ServerResponse>>();
let seq = 0;

const server = createServer((req, res) => {
  if (req.url?.startsWith('/stream')) {
    const channel = new URL(req.url, 'http://x').searchParams.get('channel') ?? 'bench';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(':\n\n');
    let set = streams.get(channel);
    if (!set) streams.set(channel, (set = new Set()));
    set.add(res);
    req.on('close', () => set.delete(res));
    return;
  }
  if (req.method === 'POST' && req.url === '/publish') {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { message, channel = 'bench' } = JSON.parse(body) as { message: string; channel?: string };
      const frame = Buffer.from(`event: next\ndata: ${JSON.stringify({ data: { logs: { cursor: String(++seq), message } } })}\n\n`);
      for (const stream of streams.get(channel) ?? []) stream.write(frame);
      res.end('{}');
    });
    return;
  }
  res.writeHead(req.url === '/health' ? 200 : 404).end();
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => process.exit(0));
