/**
 * One decode at a time, each in its own macrotask: requests that arrive together (exporters keep
 * several in flight) are decoded one after another with the event loop free in between, so the
 * longest block of the thread is one request's decode, not the sum of a burst's.
 */
export class Turns {
  private last: Promise<unknown> = Promise.resolve();

  run<T>(work: () => T): Promise<T> {
    const next = this.last.then(
      () =>
        new Promise<T>((resolve, reject) =>
          setImmediate(() => {
            try {
              resolve(work());
            } catch (err) {
              reject(err);
            }
          }),
        ),
    );
    this.last = next.catch(() => undefined);
    return next;
  }
}
