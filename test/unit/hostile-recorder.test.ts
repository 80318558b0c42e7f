/**
 * The Node recorder never changes what the agent does: whatever is thrown (non-Errors, objects
 * whose every property access throws, symbols, BigInts) comes out as the same value, sync and
 * async; return values keep their identity; hostile metadata and a full disk change nothing.
 * recorder-node.test.ts covers ordinary errors and values in child processes; this adds the odd
 * throwables, in process, with the recorder writing to a temporary file or to /dev/full.
 */
import { strict as assert } from 'assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PerformanceProfiler, ProfileWriter } from '../../recorders/node/index';
import { parseJsonl } from '../../src/ingest/jsonl';

/** Throwables whose printing, property access or prototype lookup throws. */
function hostileThrowables(): unknown[] {
  const getterBomb = {
    get message(): string {
      throw new Error('message getter');
    },
    get name(): string {
      throw new Error('name getter');
    },
    get stack(): string {
      throw new Error('stack getter');
    },
  };
  const proxy = new Proxy(
    {},
    {
      get: () => {
        throw new Error('proxy get');
      },
      has: () => {
        throw new Error('proxy has');
      },
      getPrototypeOf: () => {
        throw new Error('proxy prototype');
      },
    },
  );
  return [getterBomb, proxy, 'a string', undefined, null, 42, Symbol('s'), 10n, Object.freeze(new TypeError('frozen'))];
}

/** Captures what the recorder writes to stderr while `fn` runs. */
async function capturingStderr<T>(fn: () => Promise<T> | T): Promise<{ value: T; stderr: string }> {
  const original = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { value: await fn(), stderr };
  } finally {
    process.stderr.write = original;
  }
}

describe('Node recorder under hostile agents', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'agentprof-hostile-rec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rethrows every throwable as the same value, sync and async, and still writes a readable profile', async () => {
    const file = path.join(dir, 'run.agentprof.jsonl');
    const writer = new ProfileWriter({ path: file });
    const profiler = new PerformanceProfiler({ writer });
    const throwables = hostileThrowables();
    for (const thrown of throwables) {
      assert.throws(
        () => profiler.timer('tool:sync', () => {
          throw thrown;
        }),
        (caught: unknown) => caught === thrown,
      );
      await profiler.timer('tool:async', async () => {
        throw thrown;
      }).then(
        () => assert.fail('resolved'),
        (caught: unknown) => assert.ok(caught === thrown),
      );
    }
    writer.flush(); // lines of a burst are batched for a few milliseconds
    const profile = parseJsonl(readFileSync(file));
    assert.deepEqual(profile.diagnostics, []);
    // 9 throwables × 2 spans, every one closed as failed.
    assert.equal(profile.spans.length, 18);
    assert.ok(profile.spans.every((s) => s.status === 'error' && typeof s.error === 'string'));
  });

  it('keeps the identity of return values, `this` and arguments; hostile metadata changes nothing', async () => {
    const profiler = new PerformanceProfiler({ writer: new ProfileWriter({ path: path.join(dir, 'run.agentprof.jsonl') }) });
    const value = { answer: 42 };
    assert.equal(profiler.timer('tool:a', () => value), value);
    const receiver = { name: 'agent' };
    const timed = profiler.timed('tool:b', function (this: unknown, arg: object) {
      return [this, arg];
    });
    const [self, arg] = timed.call(receiver, value);
    assert.ok(self === receiver && arg === value);
    assert.equal(await profiler.timer('tool:c', async () => value), value);
    const metadata: Record<string, unknown> = {
      get exploding(): string {
        throw new Error('metadata getter');
      },
      big: 10n,
      [Symbol('hidden')]: 1,
    };
    metadata.self = metadata;
    const { value: result, stderr } = await capturingStderr(() => profiler.timer('tool:d', () => value, metadata));
    assert.equal(result, value);
    assert.match(stderr, /^agentprof: metadata left out of the profile/m);
  });

  it('with the disk full, the agent’s error and values pass through; one warning', async function () {
    if (!existsSync('/dev/full')) this.skip();
    const profiler = new PerformanceProfiler({ writer: new ProfileWriter({ path: '/dev/full' }) });
    const error = new RangeError('the agent’s own');
    const { stderr } = await capturingStderr(async () => {
      assert.throws(
        () => profiler.timer('tool:x', () => {
          throw error;
        }),
        (caught: unknown) => caught === error,
      );
      assert.equal(profiler.timer('tool:y', () => 'kept'), 'kept');
      await profiler.timer('tool:z', async () => {
        throw error;
      }).catch((caught: unknown) => assert.equal(caught, error));
    });
    const warnings = stderr.split('\n').filter((l) => l.startsWith('agentprof:'));
    assert.ok(warnings.length <= 1, stderr);
  });
});
