import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb } from '../server/db/client.js';
import { resolveJwtSecret } from '../server/domain/auth/auth.js';
import { createPostgresDatabase, postgresUrl } from './support/services.js';

const tables = async (db: any) =>
  ((await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`)).rows as any[]).map(
    (r) => r.table_name,
  );

const EXPECTED = ['service_tokens', 'settings', 'tenants', 'users'];

describe('migrations on PGlite', () => {
  it('apply on an empty store, and again on the same directory without harm', async () => {
    const dir = `/tmp/pb-pglite-${process.pid}-${Date.now()}`;
    const first = await createDb({ dataDir: dir });
    expect(await tables(first.db)).toEqual(expect.arrayContaining(EXPECTED));
    const secret = await resolveJwtSecret(first.db);
    await first.close();

    const second = await createDb({ dataDir: dir });
    expect(await tables(second.db)).toEqual(expect.arrayContaining(EXPECTED));
    // the generated JWT secret is kept, so tokens survive a restart
    expect(await resolveJwtSecret(second.db)).toEqual(secret);
    await second.close();
  }, 60_000);
});

describe.skipIf(!postgresUrl)('migrations on PostgreSQL', () => {
  it('apply on an empty database, twice in a row, and concurrently from two instances', async () => {
    const database = await createPostgresDatabase();
    try {
      const [a, b] = await Promise.all([createDb({ databaseUrl: database.url }), createDb({ databaseUrl: database.url })]);
      expect(await tables(a.db)).toEqual(expect.arrayContaining(EXPECTED));
      const again = await createDb({ databaseUrl: database.url });
      const applied = (await again.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as any;
      const journal = JSON.parse(readFileSync(new URL('../server/db/migrations/meta/_journal.json', import.meta.url), 'utf8'));
      expect(applied.rows[0].n).toBe(journal.entries.length);
      const [sa, sb] = await Promise.all([resolveJwtSecret(a.db), resolveJwtSecret(b.db)]);
      expect(sa).toEqual(sb);
      await Promise.all([a.close(), b.close(), again.close()]);
    } finally {
      await database.drop();
    }
  });
});
