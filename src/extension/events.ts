/**
 * A minimal event emitter with the shape of `vscode.Event`, so modules that must stay free of the
 * `vscode` import (the store, the watcher's batcher) can still offer events views subscribe to.
 */

export interface Disposable {
  dispose(): void;
}

/** Subscribe with a listener; the returned disposable unsubscribes. */
export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => unknown>();

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs === undefined ? listener : listener.bind(thisArgs);
    this.listeners.add(bound);
    const subscription = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(subscription);
    return subscription;
  };

  /** Calls every listener; one failing listener does not stop the others. */
  fire(e: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(e);
      } catch (err) {
        console.error('[agent-profiler] listener failed:', err);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
