/** Escapes LIKE/ILIKE wildcards, so user text matches literally. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, '\\$&');
