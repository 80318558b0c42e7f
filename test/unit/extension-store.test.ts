import * as assert from 'node:assert/strict';
import { epochNsToMs, ProfileStore, type RunEntry } from '../../src/extension/store';
import type { AnalysisBackend, AnalyzeOutcome } from '../../src/extension/worker-client';
import type { AnalysisSettings } from '../../src/extension/worker-protocol';
import { analysis, runResult } from './extension-fixtures';

/** A backend whose answers the test scripts; it records every call. */
class FakeBackend implements AnalysisBackend {
  calls: Array<{ file: string; force: boolean }> = [];
  closed: string[] = [];
  configured: AnalysisSettings[] = [];
  answer: (file: string) => AnalyzeOutcome = (file) => ({ kind: 'result', result: runResult(analysis({ run: { ...analysis().run, spans: 3 } }), { file }) });
  configure(s: AnalysisSettings): void {
    this.configured.push(s);
  }
  async analyze(file: string, force: boolean): Promise<AnalyzeOutcome> {
    this.calls.push({ file, force });
    return this.answer(file);
  }
  close(file: string): void {
    this.closed.push(file);
  }
  dispose(): void {}
}

/** Timers the test runs by hand. */
class FakeTimers {
  private next = 1;
  readonly pending = new Map<number, () => void>();
  readonly intervals = new Map<number, () => void>();
  setTimeout = (fn: () => void) => {
    const id = this.next++;
    this.pending.set(id, fn);
    return id;
  };
  clearTimeout = (id: unknown) => void this.pending.delete(id as number);
  setInterval = (fn: () => void) => {
    const id = this.next++;
    this.intervals.set(id, fn);
    return id;
  };
  clearInterval = (id: unknown) => void this.intervals.delete(id as number);
  /** Runs every pending timeout, then lets the promises they started settle. */
  async flush(): Promise<void> {
    for (let round = 0; round < 5 && this.pending.size; round++) {
      const fns = [...this.pending.values()];
      this.pending.clear();
      fns.forEach((f) => f());
      await new Promise((r) => setImmediate(r));
    }
  }
}

/** A store with a fake backend and timers; awake (as after the user opened a view) unless `asleep`. */
function makeStore(mtimes: Record<string, number>, { asleep = false } = {}) {
  const backend = new FakeBackend();
  const timers = new FakeTimers();
  const logged: string[] = [];
  const store = new ProfileStore({
    backend,
    stat: async (f) => (f in mtimes ? { mtimeMs: mtimes[f] } : undefined),
    log: (line) => logged.push(line),
    ...timers,
  });
  if (!asleep) store.wake('test');
  return { store, backend, timers, logged };
}

describe('extension profile store', () => {
  it('lists runs but analyses nothing until woken, then analyses only the active run', async () => {
    const { store, backend, timers, logged } = makeStore({ '/a': 1, '/b': 2 }, { asleep: true });
    await store.applyBatch({ added: ['/a', '/b'], changed: [], removed: [] });
    await store.applyBatch({ added: [], changed: ['/b'], removed: [] });
    store.configure({ maxFileBytes: 1, thresholds: analysisThresholds(), priceOverrides: [], budgets: [] });
    await timers.flush();
    assert.equal(store.awake, false);
    assert.deepEqual(store.runs.map((r) => r.file), ['/b', '/a'], 'listed from stat alone');
    assert.equal(store.active?.file, '/b', 'the newest is active, but not read');
    assert.deepEqual(backend.calls, [], 'no analysis while asleep');
    assert.equal(timers.pending.size, 0, 'nothing scheduled either');
    assert.equal(store.active?.state, 'idle');

    store.wake('the runs view is shown');
    store.wake('again'); // a second trigger changes nothing
    await timers.flush();
    assert.deepEqual(backend.calls, [{ file: '/b', force: true }]);
    assert.equal(store.active?.state, 'ready');
    assert.deepEqual(logged, ['analysing from now on: the runs view is shown']);
  });

  it('wakes when the user chooses or opens a run, or a run is recorded', async () => {
    const chosen = makeStore({ '/a': 1, '/b': 2 }, { asleep: true });
    await chosen.store.applyBatch({ added: ['/a', '/b'], changed: [], removed: [] });
    await chosen.store.add('/opened', { select: true }); // what Open Profile does
    await chosen.timers.flush();
    assert.equal(chosen.store.awake, true);
    assert.deepEqual(chosen.backend.calls, [{ file: '/opened', force: true }]);

    const shown = makeStore({ '/a': 1, '/b': 2 }, { asleep: true });
    const asked: string[] = [];
    shown.store.onDidAskToShow((f) => asked.push(f));
    await shown.store.applyBatch({ added: ['/a', '/b'], changed: [], removed: [] });
    shown.store.show('/a'); // Open Profile of a file the watcher already listed
    shown.store.show('/unknown'); // not a run: nothing to show
    await shown.timers.flush();
    assert.deepEqual(asked, ['/a']);
    assert.equal(shown.store.active?.file, '/a');
    assert.deepEqual(shown.backend.calls, [{ file: '/a', force: true }]);

    const recorded = makeStore({}, { asleep: true });
    await recorded.store.add('/live', { waiting: true });
    recorded.store.follow('/live');
    recorded.timers.intervals.forEach((poll) => poll());
    await recorded.timers.flush();
    assert.deepEqual(recorded.backend.calls, [{ file: '/live', force: true }]);
  });

  it('lists runs newest first and follows the newest until the user picks one', async () => {
    const { store, timers } = makeStore({ '/a': 100, '/b': 300, '/c': 200 });
    await store.applyBatch({ added: ['/a', '/b', '/c'], changed: [], removed: [] });
    assert.deepEqual(store.runs.map((r) => r.file), ['/b', '/c', '/a']);
    assert.equal(store.active?.file, '/b');
    store.select('/a');
    await store.applyBatch({ added: ['/d'], changed: [], removed: [] }); // /d: no stat → now
    assert.equal(store.runs[0].file, '/d');
    assert.equal(store.active?.file, '/a', 'the user choice sticks');
    await timers.flush();
    assert.equal(store.active?.state, 'ready');
  });

  it('analyses only the active run, and frees a run that stops being active', async () => {
    const { store, backend, timers } = makeStore({ '/a': 1, '/b': 2 });
    await store.applyBatch({ added: ['/a', '/b'], changed: [], removed: [] });
    await timers.flush();
    assert.deepEqual(backend.calls, [{ file: '/b', force: true }]);
    store.select('/a');
    await timers.flush();
    assert.deepEqual(backend.closed, ['/b']);
    const b = store.get('/b')!;
    assert.equal(b.result, undefined, 'the analysis is dropped');
    assert.equal(b.summary?.spans, 3, 'the summary stays for the list');
    assert.equal(b.state, 'idle');
  });

  it('debounces changes of the active file into one re-analysis and reports it', async () => {
    const { store, backend, timers } = makeStore({ '/a': 1 });
    const seen: Array<RunEntry | undefined> = [];
    store.onDidChangeActiveAnalysis((e) => seen.push(e));
    await store.applyBatch({ added: ['/a'], changed: [], removed: [] });
    await timers.flush();
    backend.calls = [];
    await store.applyBatch({ added: [], changed: ['/a'], removed: [] });
    await store.applyBatch({ added: [], changed: ['/a'], removed: [] });
    await timers.flush();
    assert.deepEqual(backend.calls, [{ file: '/a', force: false }]);
    assert.equal(store.active?.generation, 2);
    assert.ok(seen.length >= 2 && seen.every((e) => e?.file === '/a'));
  });

  it('keeps the last result when the file did not change and records read failures', async () => {
    const { store, backend, timers } = makeStore({ '/a': 1 });
    await store.applyBatch({ added: ['/a'], changed: [], removed: [] });
    await timers.flush();
    backend.answer = () => ({ kind: 'unchanged' });
    await store.analyzeNow('/a');
    assert.equal(store.active?.generation, 1);
    assert.equal(store.active?.state, 'ready');
    backend.answer = () => ({ kind: 'failed', message: 'EACCES', missing: false });
    await store.analyzeNow('/a');
    assert.equal(store.active?.state, 'failed');
    assert.equal(store.active?.error, 'EACCES');
  });

  it('waits for the file of a live run instead of failing', async () => {
    const { store, backend, timers } = makeStore({});
    backend.answer = () => ({ kind: 'failed', message: 'ENOENT', missing: true });
    await store.add('/live', { select: true, waiting: true });
    const follow = store.follow('/live');
    assert.equal(timers.intervals.size, 1);
    await timers.flush();
    assert.equal(store.active?.state, 'waiting');
    assert.equal(store.active?.live, true);
    store.remove('/live');
    assert.ok(store.get('/live'), 'a live run is not removed');
    follow.dispose();
    assert.equal(timers.intervals.size, 0);
    assert.equal(store.get('/live')?.live, false);
  });

  it('moves the active run to the newest when the active file is deleted, and clears the baseline', async () => {
    const { store } = makeStore({ '/a': 1, '/b': 2 });
    await store.applyBatch({ added: ['/a', '/b'], changed: [], removed: [] });
    store.select('/b');
    store.setBaseline('/b');
    await store.applyBatch({ added: [], changed: [], removed: ['/b'] });
    assert.equal(store.active?.file, '/a');
    assert.equal(store.baseline, undefined);
  });

  it('re-analyses the active run when settings change, and re-reads it on refresh', async () => {
    const { store, backend, timers } = makeStore({ '/a': 1 });
    await store.applyBatch({ added: ['/a'], changed: [], removed: [] });
    await timers.flush();
    backend.calls = [];
    store.configure({ maxFileBytes: 1, thresholds: analysisThresholds(), priceOverrides: [], budgets: [] });
    await timers.flush();
    assert.equal(backend.configured.length, 1);
    assert.deepEqual(backend.calls, [{ file: '/a', force: false }]);
    store.refresh();
    await timers.flush();
    assert.deepEqual(backend.closed, ['/a']);
    assert.deepEqual(backend.calls[1], { file: '/a', force: true });
  });

  it('orders by the run start from the header once known', async () => {
    const { store, timers } = makeStore({ '/a': 5_000, '/b': 1_000 });
    await store.applyBatch({ added: ['/a', '/b'], changed: [], removed: [] });
    store.select('/b');
    await timers.flush();
    // runResult() headers start at 1763900000000000000 ns = 1763900000000 ms, newer than mtime 5000.
    assert.equal(store.get('/b')!.startMs, 1_763_900_000_000);
    assert.deepEqual(store.runs.map((r) => r.file), ['/b', '/a']);
    assert.equal(epochNsToMs('0'), undefined);
    assert.equal(epochNsToMs('garbage'), undefined);
    assert.equal(epochNsToMs('1999999'), 1);
  });
});

function analysisThresholds() {
  return { slowLlmAvgMs: 1, slowToolAvgMs: 1, manyCalls: 1, expensiveOperationUsd: 1, sequentialSiblings: 3, suggestionExpensiveUsd: 1, promptHeavyShare: 1, regressionPct: 1 };
}
