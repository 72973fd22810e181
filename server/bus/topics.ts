/**
 * Every bus topic, with its payload type. Nothing else spells a topic string.
 *
 * Topics here are tenant-relative: the bus prefixes each with the tenant it is
 * published or subscribed in, so no topic can cross tenants by construction.
 * A topic ending in `*` is a pattern matching every topic with that prefix.
 */
declare const payloadType: unique symbol;
export type Topic<P> = string & { readonly [payloadType]?: P };

export interface TokenRevoked {
  tokenId: string;
}

export const topics = {
  /** A service token was revoked: every instance ends that token's open streams. */
  tokenRevoked: () => 'token-revoked' as Topic<TokenRevoked>,
};

/** The payload type a topic carries. */
export type PayloadOf<T> = T extends Topic<infer P> ? P : never;
