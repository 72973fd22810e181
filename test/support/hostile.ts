import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';

/** One call: a root field with every argument valid but one (or its input field) hostile. */
export interface HostileCall {
  kind: 'mutation' | 'subscription';
  field: string;
  /** which argument (or argument.inputField) carries the hostile value */
  target: string;
  query: string;
  variables: Record<string, unknown>;
}

const LONG = 'x'.repeat(20_000);
const STRINGS = ['', ' ', '\u0000', '\ud800', 'é'.repeat(300), LONG, "'; drop table users; --", '../../etc/passwd', '<script>alert(1)</script>', 'pbs_forged'];
const INTS = [-1, 0, 2_147_483_647, -2_147_483_648, 2 ** 53, 1.5, '7', null];
const FLOATS = [-1e308, 1e308, -0, 'NaN'];
const DATES = ['not a date', '9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', '2026-13-45T99:99:99Z', 1e20, ''];
const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });
const JSONS = [deep(400), Array.from({ length: 5_000 }, (_, i) => i), { __proto__: { admin: true } }, 'x', null, [null]];

/** Valid stand-ins by argument or input-field name, so the hostile one is what gets checked. */
const VALID: Record<string, unknown> = {
  url: 'http://127.0.0.1:9/',
  email: 'fuzz-target@example.com',
  customerEmail: 'customer@example.com',
  channel: 'fuzz',
  channels: ['fuzz'],
  key: 'fuzz',
  password: 'quiet river lantern',
  newPassword: 'quiet river lantern',
  currentPassword: 'not the password',
  name: 'fuzz',
  tenantName: 'Fuzz Co',
  subject: 'subject',
  customerName: 'customer',
  body: 'body',
  message: 'message',
  entries: [{ level: 'INFO', message: 'fuzz' }],
  intervalSeconds: 60,
  intervalMs: 1_000,
  monitorIds: [],
  webhookUrls: [],
  startsAt: '2030-01-01T00:00:00Z',
  endsAt: '2030-01-02T00:00:00Z',
  maxEntriesPerChannel: 100,
  maxAgeHours: 24,
  state: 'RUNNING',
};

/** Hostile values for `type`; `ids` are other tenants' ids and garbage. */
function hostileValues(type: GraphQLInputType, ids: string[]): unknown[] {
  const inner = isNonNullType(type) ? type.ofType : type;
  const nullable = !isNonNullType(type);
  if (isListType(inner)) {
    const item = hostileValues(inner.ofType, ids);
    return [null, [null], 'not a list', Array.from({ length: 1_100 }, () => validValue(inner.ofType, 'x', ids)), ...item.slice(0, 4).map((v) => [v])].filter((v) => nullable || v !== null);
  }
  if (isEnumType(inner)) return ['NOPE', 'admin', 1, ''];
  if (isInputObjectType(inner)) return ['x', [], 1];
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'ID':
        return [...ids, '', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', "' or 1=1 --", LONG, 42];
      case 'Int':
        return INTS;
      case 'Float':
        return FLOATS;
      case 'Boolean':
        return ['true', 1];
      case 'DateTime':
        return DATES;
      case 'JSON':
        return JSONS;
      default:
        return STRINGS;
    }
  }
  return [null];
}

function validValue(type: GraphQLInputType, name: string, ids: string[]): unknown {
  if (name in VALID) return VALID[name];
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [];
  if (isEnumType(inner)) return inner.getValues()[0]!.value;
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, validValue(f.type, f.name, ids)]));
  }
  const scalars: Record<string, unknown> = { Int: 1, Float: 1, Boolean: true, ID: ids[0], DateTime: '2030-01-01T00:00:00Z', JSON: {}, String: 'x' };
  return scalars[getNamedType(inner).name] ?? 'x';
}

function documentFor(kind: 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): string {
  const vars = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = field.args.length ? `(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
  const named = getNamedType(field.type);
  const selection = 'getFields' in named ? ' { __typename }' : '';
  return `${kind}${vars ? ` (${vars})` : ''} { ${field.name}${call}${selection} }`;
}

/** Every mutation and subscription argument (and input field), each with every hostile value. */
export function hostileCalls(schema: GraphQLSchema, ids: string[], skip: string[] = []): HostileCall[] {
  const calls: HostileCall[] = [];
  for (const [kind, root] of [
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const) {
    for (const field of Object.values(root!.getFields())) {
      if (skip.includes(field.name)) continue;
      const query = documentFor(kind, field);
      const valid = (except?: GraphQLArgument) =>
        Object.fromEntries(field.args.filter((a) => a !== except && (isNonNullType(a.type) || a.name in VALID)).map((a) => [a.name, validValue(a.type, a.name, ids)]));
      for (const arg of field.args) {
        for (const value of hostileValues(arg.type, ids)) {
          calls.push({ kind, field: field.name, target: arg.name, query, variables: { ...valid(arg), [arg.name]: value } });
        }
        const inner = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
        if (!isInputObjectType(inner)) continue;
        for (const inputField of Object.values(inner.getFields())) {
          for (const value of hostileValues(inputField.type, ids)) {
            const base = validValue(arg.type, arg.name, ids) as Record<string, unknown>;
            calls.push({ kind, field: field.name, target: `${arg.name}.${inputField.name}`, query, variables: { ...valid(arg), [arg.name]: { ...base, [inputField.name]: value } } });
          }
        }
      }
    }
  }
  return calls;
}
