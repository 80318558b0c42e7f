/**
 * The pieces around the chat tools' answers: workspace-relative paths, the extension's catalog
 * over the store (with a fake store), and the MCP server's line filter.
 */
import { strict as assert } from 'assert';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import { ProfileBuilder } from '../../src/core/builder';
import { isToolError } from '../../src/core/present/tools';
import { checkLine, LineGuard, MAX_LINE_BYTES, type RpcError } from '../../src/cli/mcp-guard';
import type { RunEntry } from '../../src/extension/store';
import { StoreCatalog } from '../../src/extension/tool-catalog';
import { relativeToRoots, workspaceRelative } from '../../src/io/workspace-path';

const p = path.posix;

describe('workspace-relative paths', () => {
  it('resolves against the run’s cwd and shows the path inside the root that holds it', () => {
    assert.equal(workspaceRelative('agent.py', '/ws/agents/a', ['/ws'], p), 'agents/a/agent.py');
    assert.equal(workspaceRelative('/ws/src/x.py', undefined, ['/other', '/ws'], p), 'src/x.py');
    // Outside every root: as recorded, so nothing suggests a path that is not there.
    assert.equal(workspaceRelative('../../etc/passwd', '/ws/a', ['/ws'], p), '../../etc/passwd');
    assert.equal(workspaceRelative('x.py', undefined, [], p), 'x.py');
    assert.equal(relativeToRoots('/ws2/x', ['/ws'], p), undefined);
  });
});

describe('the extension’s run catalog', () => {
  const MS = 1e6;
  const b = new ProfileBuilder();
  b.addSpan({ id: 1, name: 'tool:a', start: 0, end: 5 * MS, file: 'a.py', line: 3 }, 1);
  const analysis = analyze(b.finish());
  const entry = (file: string, extra: Partial<RunEntry>): RunEntry => ({
    file,
    mtimeMs: 1_700_000_000_000,
    startMs: undefined,
    state: 'idle',
    result: undefined,
    summary: undefined,
    error: undefined,
    live: false,
    generation: 0,
    ...extra,
  });
  const ready = entry('/ws/runs/ok.agentprof.jsonl', {});
  const broken = entry('/ws/bad.agentprof.jsonl', {});
  const analysed: string[] = [];
  const store = {
    runs: [ready, broken],
    active: ready,
    baseline: '/ws/bad.agentprof.jsonl',
    analyzeNow: async (file: string) => {
      analysed.push(file);
      if (file === broken.file) return Object.assign(broken, { state: 'failed' as const, error: 'not a profile' });
      return Object.assign(ready, {
        state: 'ready' as const,
        summary: analysis.run,
        result: {
          file,
          header: { name: 'ok', cwd: '/ws/runs', argv: [], startEpochNs: '0', recorder: undefined, source: 'agentprof' },
          analysis,
          views: { spans: [{ index: 0, id: 1, name: 'tool:a', file: 'a.py', line: 3, startMs: 0, durationMs: 5, open: false, error: undefined }], sites: [], nameSpanIds: [] },
          criticalPathTotal: { segments: 1, ms: 5 },
          bytesRead: 1,
          truncatedByCap: false,
          workMs: 1,
        },
      });
    },
  };
  const catalog = new StoreCatalog({ store: store as never, folders: () => ['/ws'], regressionPct: () => 25 });

  it('lists the store’s runs by workspace-relative id, active and baseline marked', async () => {
    const runs = await catalog.list();
    assert.deepEqual(
      runs.map((r) => [r.id, r.active, r.baseline, r.startedAt]),
      [
        ['runs/ok.agentprof.jsonl', true, false, '2023-11-14T22:13:20.000Z'],
        ['bad.agentprof.jsonl', false, true, '2023-11-14T22:13:20.000Z'],
      ],
    );
    assert.equal(catalog.regressionPct, 25);
  });

  it('analyses a run when asked, with call sites relative to the workspace', async () => {
    const run = await catalog.load('runs/ok.agentprof.jsonl');
    assert.ok(!isToolError(run));
    assert.deepEqual(run.spanSite(0), { file: 'a.py', line: 3 });
    assert.equal(run.spanSite(7), undefined);
    assert.equal(run.relativePath('a.py'), 'runs/a.py');
    assert.deepEqual(analysed, ['/ws/runs/ok.agentprof.jsonl']);
  });

  it('answers an unreadable run and an unknown id with errors', async () => {
    const bad = await catalog.load('bad.agentprof.jsonl');
    assert.ok(isToolError(bad) && bad.error.code === 'unreadable' && /not a profile/.test(bad.error.message));
    const none = await catalog.load('nope');
    assert.ok(isToolError(none) && none.error.code === 'run_not_found');
  });
});

describe('the MCP server’s line filter', () => {
  it('tells parse errors, invalid requests and bad tools/call params apart, and passes good messages', () => {
    assert.equal(checkLine('{')?.error.code, -32700);
    assert.deepEqual(checkLine('"hi"'), { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request: a message must be a JSON object' } });
    assert.equal(checkLine('{"jsonrpc":"2.0","id":{},"method":"ping"}')?.error.code, -32600);
    assert.equal(checkLine('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"x","arguments":[1]}}')?.id, 3);
    assert.equal(checkLine('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"x","arguments":{"limit":2}}}'), undefined);
    assert.equal(checkLine('{"jsonrpc":"2.0","method":"notifications/initialized"}'), undefined);
    assert.equal(checkLine('{"jsonrpc":"2.0","id":1,"result":{}}'), undefined);
  });

  it('keeps a UTF-8 character split across chunks whole, and answers an endless line once', async () => {
    const rejected: RpcError[] = [];
    const guard = new LineGuard((r) => rejected.push(r));
    const passed: Buffer[] = [];
    guard.on('data', (d: Buffer) => passed.push(d));
    const line = Buffer.from('{"jsonrpc":"2.0","id":1,"method":"ping","params":{"q":"é"}}\n');
    const split = line.indexOf(Buffer.from('é')) + 1; // inside the two bytes of é
    guard.write(line.subarray(0, split));
    guard.write(line.subarray(split));
    guard.write(Buffer.alloc(MAX_LINE_BYTES + 10, 'x'));
    guard.write(Buffer.from('xxx\n{"jsonrpc":"2.0","id":2,"method":"ping"}\n'));
    guard.end();
    await new Promise((resolve) => guard.on('end', resolve).resume());
    const out = Buffer.concat(passed).toString('utf8').trim().split('\n');
    assert.deepEqual(out.map((l) => JSON.parse(l).id), [1, 2]);
    assert.equal(JSON.parse(out[0]).params.q, 'é');
    assert.deepEqual(rejected.map((r) => [r.id, r.error.code]), [[null, -32600]]);
  });
});
