/**
 * What a log line shows when it is expanded: its message pretty-printed when it is JSON,
 * every line of a multi-line message (a stack trace keeps its first line and its frames),
 * and its `fields` as a flat key/value list. Pure: the log viewer renders the result.
 */

export interface LogRowInput {
  message: string;
  fields?: unknown;
}

export interface LogField {
  /** Dotted path for nested objects, e.g. `http.status`. */
  key: string;
  /** Strings as they are; everything else as compact JSON. */
  value: string;
  type: 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
}

export interface ExpandedLogRow {
  kind: 'json' | 'multiline' | 'text';
  /** One line for the collapsed row: the first line, or the compact JSON. */
  summary: string;
  /** Lines after the first the collapsed row hides (0 for one-line messages). */
  hiddenLines: number;
  /** The message in full for the expanded row: JSON indented by two spaces, or the text itself. */
  body: string;
  /** The parsed message when it is JSON. */
  json?: unknown;
  fields: LogField[];
}

/** Messages longer than this are not parsed as JSON (they are shown as text). */
export const MAX_JSON_CHARS = 256 * 1024;
/** Nested objects in `fields` are flattened this deep; deeper values are shown as JSON. */
const MAX_DEPTH = 4;

export function expandLogRow({ message, fields }: LogRowInput): ExpandedLogRow {
  const text = message.replace(/\r\n?/g, '\n');
  const json = parseJson(text);
  const flat = flattenFields(fields);
  if (json.ok) {
    return { kind: 'json', summary: JSON.stringify(json.value), hiddenLines: 0, body: JSON.stringify(json.value, null, 2), json: json.value, fields: flat };
  }
  const lines = text.replace(/\n+$/, '').split('\n');
  if (lines.length > 1) {
    return { kind: 'multiline', summary: lines[0]!, hiddenLines: lines.length - 1, body: lines.join('\n'), fields: flat };
  }
  return { kind: 'text', summary: text, hiddenLines: 0, body: text, fields: flat };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const trimmed = text.trim();
  if (trimmed.length > MAX_JSON_CHARS || !/^[[{]/.test(trimmed)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(trimmed) };
  } catch {
    return { ok: false };
  }
}

const typeOf = (value: unknown): LogField['type'] =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as 'string' | 'number' | 'boolean' | 'object');

/** `fields` as rows: nested objects become dotted keys; arrays and deep values stay JSON. */
export function flattenFields(fields: unknown): LogField[] {
  if (fields === null || fields === undefined) return [];
  if (typeof fields !== 'object' || Array.isArray(fields)) return [{ key: 'fields', value: show(fields), type: typeOf(fields) }];
  const out: LogField[] = [];
  const walk = (value: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [key, inner] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (inner && typeof inner === 'object' && !Array.isArray(inner) && depth < MAX_DEPTH && Object.keys(inner).length > 0) {
        walk(inner as Record<string, unknown>, path, depth + 1);
      } else {
        out.push({ key: path, value: show(inner), type: typeOf(inner) });
      }
    }
  };
  walk(fields as Record<string, unknown>, '', 1);
  return out;
}

const show = (value: unknown) => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));
