import { Kind, NoSchemaIntrospectionCustomRule, visit, type DocumentNode } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { Introspection } from '../config.js';

/**
 * Who may introspect the schema (`__schema`, `__type`; `__typename` is always allowed):
 * `public` — anyone; `signed-in` — any caller with a valid credential, so codegen and GraphiQL
 * work against a deployed server while anonymous callers learn nothing; `off` — no one.
 * Applied at execution, where the caller is known, on /graphql and /graphql/stream alike.
 */
export function useIntrospectionPolicy({ introspection }: { introspection: Introspection }): Plugin<{ viewer?: unknown }> {
  if (introspection === 'public') return {};
  if (introspection === 'off') {
    return {
      onValidate({ addValidationRule }) {
        addValidationRule(NoSchemaIntrospectionCustomRule);
      },
    };
  }
  const refuse = ({ args, setResultAndStopExecution }: { args: { document: DocumentNode; contextValue: { viewer?: unknown } }; setResultAndStopExecution: (result: { errors: Error[] }) => void }) => {
    if (args.contextValue.viewer || !introspects(args.document)) return;
    setResultAndStopExecution({
      errors: [
        createGraphQLError('Sign in to introspect the schema: send "Authorization: Bearer <token>"', {
          extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
        }),
      ],
    });
  };
  return { onExecute: refuse, onSubscribe: refuse };
}

const asked = new WeakMap<DocumentNode, boolean>();

/** Whether a document selects `__schema` or `__type` anywhere (fragments included). */
export function introspects(document: DocumentNode): boolean {
  let found = asked.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      [Kind.FIELD](node) {
        if (node.name.value === '__schema' || node.name.value === '__type') {
          found = true;
          return false;
        }
        return undefined;
      },
    });
    asked.set(document, found);
  }
  return found;
}
