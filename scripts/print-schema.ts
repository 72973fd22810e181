// Prints the Pothos schema to schema.graphql; with --check, fails when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchemaFile } from '../server/plugins/use-schema-file.js';
import { schema } from '../server/schema/index.js';

const path = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const printed = printSchemaFile(schema);

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(path, 'utf8');
  } catch {
    // no committed schema.graphql yet: it is stale by definition
  }
  if (committed !== printed) {
    console.error('schema.graphql is stale: run `npm run schema` and commit it');
    process.exit(1);
  }
  console.log('schema.graphql is current');
} else {
  writeFileSync(path, printed);
  console.log(`wrote ${path}`);
}
