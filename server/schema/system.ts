import { setTimeout as sleep } from 'node:timers/promises';
import { badInput } from '../domain/errors.js';
import { builder } from './builder.js';

builder.subscriptionField('heartbeat', (t) =>
  t.field({
    type: 'DateTime',
    description: 'The server time every intervalMs until the stream ends: an end-to-end check of a stream',
    args: { intervalMs: t.arg.int({ defaultValue: 15_000 }) },
    subscribe: (_root, { intervalMs }) => {
      if (intervalMs! < 100 || intervalMs! > 60_000) throw badInput('intervalMs must be between 100 and 60000', 'intervalMs');
      return ticks(intervalMs!);
    },
    resolve: (time) => time,
  }),
);

async function* ticks(intervalMs: number): AsyncGenerator<Date> {
  for (;;) {
    yield new Date();
    await sleep(intervalMs);
  }
}
