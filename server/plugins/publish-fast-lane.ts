import type { IncomingMessage, ServerResponse } from 'node:http';
import { OperationTypeNode, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { normalizedExecutor } from '@graphql-tools/executor';
import type { Plugin, YogaInitialContext } from 'graphql-yoga';
import { answerUnexpected, createPlainOperations, isPlainBearerJson, passWithBody, plainParams, readBody, requestView } from './node-request.js';

/** The mutations services call in a loop: what the fast lane may serve. */
export const FAST_LANE_FIELDS = ['publishLogs', 'reportServiceStatus'];

export interface PublishFastLaneOptions<TContext> {
  schema: GraphQLSchema;
  /** The request's context, as Yoga would build it; rejects when the credential is refused. */
  contextOf: (req: IncomingMessage) => Promise<TContext>;
  /** Yoga's node handler: everything the fast lane does not answer itself goes there. */
  fallback: (req: IncomingMessage, res: ServerResponse) => void;
  /** Requests larger than this go the long way (which refuses them). */
  maxBodyBytes: number;
  /** While true (CORS configured, the server draining) the fast lane stands aside. */
  standAside?: (req: IncomingMessage) => boolean;
  /**
   * Yoga's parse and validate, with every plugin's rules and Yoga's cache of both
   * (`yoga.getEnveloped`): the lane accepts exactly the documents Yoga would.
   */
  enveloped: (context: object) => { parse: (source: string) => DocumentNode; validate: (schema: GraphQLSchema, document: DocumentNode) => readonly unknown[] };
  /** A failure of the lane's own (the caller is answered 500 INTERNAL_SERVER_ERROR). */
  onError?: (error: unknown) => void;
  fields?: readonly string[];
}

/**
 * A service publishing single entries in a loop pays for Yoga's HTTP layer on every call — the
 * fetch `Request`, its body stream and abort signal, the `Response` — more than for storing the
 * entry: measured, those were most of a single-entry publish's CPU. The fast lane serves the
 * publish mutations straight from the Node request instead, with the same schema, resolvers,
 * scopes, validation and answer:
 *
 * - Only documents that pass Yoga's own parse and validation (every plugin's rules, Yoga's
 *   caches) and hold one `publishLogs` or `reportServiceStatus` field; nothing else is ever
 *   served here.
 * - Only a plain JSON POST to `/graphql` with a Bearer credential, a JSON Accept and nothing
 *   Yoga treats specially (URL parameters, `extensions`, content encoding).
 * - Only a success is written here. A refused credential, variables that do not coerce, or any
 *   error from the field goes to Yoga with the body already read: Yoga answers it as always
 *   (status, masking, headers, logging). A field that already ran is not run again — Yoga is
 *   handed its result (a publish that failed stored nothing).
 */
export function createPublishFastLane<TContext>({
  schema,
  contextOf,
  fallback,
  maxBodyBytes,
  standAside = () => false,
  enveloped,
  onError = () => {},
  fields = FAST_LANE_FIELDS,
}: PublishFastLaneOptions<TContext>) {
  let served = 0;
  const hot = new Set(fields);
  /** A field's result Yoga should answer with instead of executing it again. */
  const ranAlready = new WeakMap<IncomingMessage, ExecutionResult>();

  const plainMutation = createPlainOperations(OperationTypeNode.MUTATION);
  /** One operation, a mutation of one fast-lane field, with no directives or fragments. */
  const servable = (document: DocumentNode, operationName: string | undefined) => hot.has(plainMutation(document, operationName) ?? '');

  const pass = (req: IncomingMessage, res: ServerResponse, body: Buffer) => passWithBody(fallback, req, res, body);

  async function serve(req: IncomingMessage, res: ServerResponse, mediaType: string) {
    const body = await readBody(req, maxBodyBytes);
    if (!body) return; // the client left mid-body: nothing was run, nobody to answer
    // past the limit (a chunked body: no Content-Length to refuse it by): Yoga refuses it, 413
    if (body.length > maxBodyBytes) return pass(req, res, body);
    const params = plainParams(body);
    // what Yoga would refuse or treat specially is Yoga's to answer
    if (!params) return pass(req, res, body);
    const { query, variables, operationName } = params;
    // Yoga's plugins see the request as on Yoga's own path: one of them marks a parse error
    // GRAPHQL_PARSE_FAILED only when there is a request, and the parse cache keeps that error
    const { parse, validate } = enveloped({ params, request: requestView(req) });
    let document: DocumentNode;
    try {
      document = parse(query);
      // graphql-armor's limits refuse by throwing, in parse (tokens) and in validation (aliases, cost, depth)
      if (!servable(document, operationName) || validate(schema, document).length > 0) return pass(req, res, body);
    } catch {
      return pass(req, res, body);
    }
    let contextValue: TContext;
    try {
      contextValue = await contextOf(req);
    } catch {
      return pass(req, res, body); // Yoga refuses the credential in its own words
    }
    const result = (await normalizedExecutor({
      schema,
      document,
      contextValue,
      variableValues: variables,
    })) as ExecutionResult;
    if (result.errors?.length) {
      // the field ran (data is present): Yoga answers its result; a request error (variables
      // that do not coerce) ran nothing, and Yoga finds the same error itself
      if (result.data !== undefined) ranAlready.set(req, result);
      return pass(req, res, body);
    }
    const json = JSON.stringify(result);
    served++;
    res.writeHead(200, { 'Content-Type': `${mediaType}; charset=utf-8`, 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }

  return {
    /**
     * Takes the request if the fast lane may serve it (decided from its headers); false leaves
     * it untouched for Yoga.
     */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      if (req.method !== 'POST' || req.url !== '/graphql') return false;
      const mediaType = responseMediaType(req.headers.accept);
      if (!mediaType || !isPlainBearerJson(req, maxBodyBytes) || standAside(req)) return false;
      void serve(req, res, mediaType).catch((error: unknown) => answerUnexpected(res, error, onError));
      return true;
    },

    /** Requests answered here rather than by Yoga. */
    served: () => served,

    /** Answers a request the lane handed over after running its field with that field's result. */
    plugin(): Plugin<YogaInitialContext & { req?: IncomingMessage }> {
      return {
        onExecute({ args, setExecuteFn }) {
          const { req } = args.contextValue;
          const result = req && ranAlready.get(req);
          if (!result) return;
          ranAlready.delete(req);
          setExecuteFn(() => result);
        },
      };
    },
  };
}

const JSON_RESULT_TYPES = ['application/graphql-response+json', 'application/json'];

/**
 * The content type Yoga answers a single result with for this Accept, or undefined when it
 * would answer otherwise (an event stream, multipart, 406) — then the lane stands aside. The
 * same steps as Yoga's result processors (use-result-processor.js, accept.js): our SSE plugin
 * takes any Accept naming text/event-stream; else, of the media types asked for (utf-8 only),
 * the regular processor's last match in reverse order wins.
 */
function responseMediaType(accept: string | undefined): string | undefined {
  // what services send (curl, fetch, requests): the answer the steps below give, without them
  if (accept === undefined || accept === '*/*' || accept === 'application/json') return 'application/json';
  if (accept.includes('text/event-stream')) return undefined;
  const asked = (accept || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .flatMap((entry) => {
      const [type, ...params] = entry.split(';');
      return (params.find((param) => param.includes('charset=')) ?? 'charset=utf-8') === 'charset=utf-8' ? [type!] : [];
    })
    .reverse();
  let chosen: string | undefined;
  for (const type of asked) {
    const [pre, suf] = type.split('/');
    for (const candidate of JSON_RESULT_TYPES) {
      const [candidatePre, candidateSuf] = candidate.split('/');
      if ((pre === '*' || pre === candidatePre) && (suf === '*' || suf === candidateSuf)) chosen = candidate;
    }
  }
  return chosen;
}
