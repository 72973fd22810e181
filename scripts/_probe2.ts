import { buildApp } from '../server/app.js';
import { testConfig } from '../server/config.js';
import { createDb } from '../server/db/client.js';
import { createBus } from '../server/bus/index.js';
const store = await createDb(); const bus = createBus({});
const app = await buildApp({ config: testConfig({}), store, bus });
const { url } = await app.start(0, '127.0.0.1');
const show = async (label: string, r: Response) => console.log(label, r.status, JSON.stringify(r.statusText), r.headers.get('content-type'), (await r.text()).slice(0, 250));
for (const accept of ['application/json', 'application/graphql-response+json', '']) {
  const h: Record<string,string> = { 'content-type': 'application/json', ...(accept ? { accept } : {}) };
  console.log('---', accept);
  await show('parse', await fetch(`${url}/graphql`, { method: 'POST', headers: h, body: JSON.stringify({ query: '{ viewer {' }) }));
  await show('validation', await fetch(`${url}/graphql`, { method: 'POST', headers: h, body: JSON.stringify({ query: '{ nope }' }) }));
  await show('coercion', await fetch(`${url}/graphql`, { method: 'POST', headers: h, body: JSON.stringify({ query: 'query($l: Int!) { __typename }', variables: { l: 'x' } }) }));
  await show('anon', await fetch(`${url}/graphql`, { method: 'POST', headers: h, body: JSON.stringify({ query: '{ services { key } }' }) }));
  await show('413', await fetch(`${url}/graphql`, { method: 'POST', headers: h, body: JSON.stringify({ query: '{ __typename }', x: 'x'.repeat(1_100_000) }) }));
  await show('415', await fetch(`${url}/graphql`, { method: 'POST', headers: { ...h, 'content-type': 'application/xml' }, body: '<a/>' }));
  await show('nojson', await fetch(`${url}/graphql`, { method: 'POST', headers: h, body: '{' }));
  await show('noquery', await fetch(`${url}/graphql`, { method: 'POST', headers: h, body: '{}' }));
  await show('GET mutation', await fetch(`${url}/graphql?query=mutation{__typename}`, { headers: { ...h, 'x-graphql-yoga-csrf': '1' } }));
}
await app.stop(10); await bus.close(); await store.close();
