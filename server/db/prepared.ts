import type { Database } from './client.js';

const DUPLICATE_PREPARED_STATEMENT = '42P05';

/** A parameter of a prepared statement: what its text form is written from. */
export type SqlValue = string | number | null;

export type PreparedStatement<Row> = (values: SqlValue[]) => Promise<Row[]>;

interface PgliteClient {
  exec(text: string): Promise<{ rows: unknown[] }[]>;
}
interface PgPool {
  query<Row>(config: { name: string; text: string; values: SqlValue[] }): Promise<{ rows: Row[] }>;
}

/**
 * A statement planned once and then only run: the hot statements of ingest. Planning was most
 * of a group commit's cost on PGlite — measured, 720 µs per commit as a parameterised query,
 * 307 µs as `EXECUTE` of a prepared statement — and PGlite runs on the server's own thread.
 * On PostgreSQL, node-postgres prepares a named statement once per connection; on PGlite (one
 * session) it is `PREPARE`d once and run with `EXECUTE name(literals)`, because PGlite's
 * extended protocol only binds to unnamed statements.
 *
 * `text` uses $1…$n, each cast to its type (`$1::uuid`); `types` lists those types in order.
 */
export function prepareStatement<Row>(db: Database, name: string, types: string[], text: string): PreparedStatement<Row> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`prepared statement name must be an identifier: ${name}`);
  const client = (db as unknown as { $client: PgliteClient | PgPool }).$client;
  if (!('exec' in client)) {
    const pool = client;
    return async (values) => (await pool.query<Row>({ name, text, values }).catch(failedQuery(text, values))).rows;
  }
  let prepared: Promise<unknown> | undefined;
  return async (values) => {
    prepared ??= client.exec(`prepare ${name}(${types.join(', ')}) as ${text}`).catch((error: unknown) => {
      // another user of the same PGlite (a second app on one store, as tests build) prepared it
      if ((error as { code?: string }).code === DUPLICATE_PREPARED_STATEMENT) return;
      prepared = undefined; // planned again by the next call (the store may have been mid-migration)
      throw error;
    });
    await prepared;
    // the simple protocol (exec): one message, where query() sends five — measured 98 µs
    // against 139 for the same EXECUTE, and 52 against 137 for `select 1`
    const results = await client.exec(`execute ${name}(${values.map(literal).join(', ')})`).catch(failedQuery(text, values));
    return (results[results.length - 1]?.rows ?? []) as Row[];
  };
}

/**
 * A failure in the shape of Drizzle's (the SQL, its parameters, the database's error as the
 * cause), so the log redaction (log-redaction.ts) shows the statement and never the values —
 * which on PGlite are written into the EXECUTE's text.
 */
function failedQuery(text: string, values: SqlValue[]) {
  return (error: unknown): never => {
    throw Object.assign(new Error(`Failed query: ${text}`), { query: text, params: values, cause: error });
  };
}

/**
 * A value as an SQL literal. Strings are standard-conforming (the default since PostgreSQL 9.1,
 * and PGlite's): only the quote is special, and it is doubled.
 */
export function literal(value: SqlValue): string {
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  // PostgreSQL text holds no NUL; callers validate it away, this keeps a slip from becoming SQL
  if (value.includes('\0')) throw new Error('a string literal cannot hold NUL');
  return `'${value.replaceAll("'", "''")}'`;
}
