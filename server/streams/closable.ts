/**
 * An async generator parked in `await` cannot be returned: `return()` queues behind the
 * pending `next()`, so a subscriber that leaves while nothing is happening would keep its
 * bus subscription forever. `closable` runs `close` first — which wakes the generator so
 * it sees it is closed and finishes — and then returns it.
 */
export function closable<T>(generator: AsyncGenerator<T>, close: () => void): AsyncGenerator<T> {
  const wrapped: AsyncGenerator<T> = {
    next: (...args) => generator.next(...args),
    return(value) {
      close();
      return generator.return(value);
    },
    throw(error) {
      close();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]() {
      return wrapped;
    },
    [Symbol.asyncDispose]: async () => {
      close();
      await generator.return(undefined);
    },
  };
  return wrapped;
}
