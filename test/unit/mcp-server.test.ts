/**
 * `agentprof mcp` as a client sees it: the built CLI (dist/cli.js) started as a child process,
 * spoken to with the MCP SDK's own client over stdio — initialize, list the tools, call each — on
 * a native profile and an OTLP trace, figures checked against the analysis of the same files.
 * Then raw malformed lines, which must get JSON-RPC errors while the server keeps serving.
 */
import { strict as assert } from 'assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { analyze } from '../../src/core/analyze';
import { TOOL_DEFINITIONS } from '../../src/core/present/tools';
import { loadProfile } from '../../src/io/load-profile';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const OTLP_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'interop', 'openinference.otlp.json');
const NS = 1e6;

/** A run of an agent in `dir` (times in ms): plan 0–4000 at agent.py:5, two tool steps 4000–4500–5000 at agent.py:10. */
function nativeProfile(dir: string, name: string, slowdown: number): string {
  const t = (ms: number) => Math.round(ms * slowdown * NS);
  return [
    { t: 'run', v: 1, name, start: '1763900000000000000', cwd: dir },
    { t: 's', id: 1, n: 'llm:planning', at: 0, f: 'agent.py', l: 5 },
    { t: 'u', span: 1, op: 'llm:planning', model: 'gpt-4o', prov: 'openai', in: 1000, out: 200 },
    { t: 'e', id: 1, at: t(4000) },
    { t: 's', id: 2, n: 'step_0:tool_call', at: t(4000), f: 'agent.py', l: 10 },
    { t: 'e', id: 2, at: t(4500) },
    { t: 's', id: 3, n: 'step_1:tool_call', at: t(4500), f: 'agent.py', l: 10 },
    { t: 'e', id: 3, at: t(5000) },
    { t: 'end', at: t(5000), status: 'ok' },
  ]
    .map((r) => JSON.stringify(r))
    .join('\n');
}

function text(result: unknown): any {
  const content = (result as { content: Array<{ type: string; text: string }> }).content;
  assert.equal(content[0].type, 'text');
  return JSON.parse(content[0].text);
}

describe('agentprof mcp (the MCP server, through the SDK client)', function () {
  this.timeout(60_000);
  let ws: string;
  let client: Client;
  let stderr = '';
  const files = { run: '', baseline: '', otlp: '' };

  before(async () => {
    if (!fs.existsSync(CLI)) spawnSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'inherit' });
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-mcp-'));
    fs.mkdirSync(path.join(ws, 'runs'));
    files.baseline = path.join(ws, 'runs', 'base.agentprof.jsonl');
    files.run = path.join(ws, 'runs', 'head.agentprof.jsonl');
    files.otlp = path.join(ws, 'traces.otlp.json');
    fs.writeFileSync(files.baseline, nativeProfile(ws, 'base', 1));
    fs.copyFileSync(OTLP_FIXTURE, files.otlp);
    fs.writeFileSync(files.run, nativeProfile(ws, 'head', 1.5));
    // Newest first: the head run is the newest file, so it is the active run.
    const now = Date.now() / 1000;
    fs.utimesSync(files.baseline, now - 30, now - 30);
    fs.utimesSync(files.otlp, now - 20, now - 20);
    fs.utimesSync(files.run, now - 10, now - 10);
    const transport = new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', ws, '--baseline', files.baseline], stderr: 'pipe' });
    transport.stderr?.on('data', (d) => (stderr += String(d)));
    client = new Client({ name: 'agentprof-test', version: '1.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  it('initializes as agent-profiler with tools and instructions', () => {
    assert.equal(client.getServerVersion()?.name, 'agent-profiler');
    assert.ok(client.getServerCapabilities()?.tools);
    assert.match(client.getInstructions() ?? '', /agentProfiler_summary/);
  });

  it('lists the six tools with the shared definitions, read-only', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => [t.name, t.description, t.inputSchema]),
      TOOL_DEFINITIONS.map((t) => [t.name, t.modelDescription, t.inputSchema]),
    );
    for (const t of tools) assert.equal(t.annotations?.readOnlyHint, true);
  });

  it('lists the runs newest first, the baseline marked', async () => {
    const a = text(await client.callTool({ name: 'agentProfiler_listRuns', arguments: {} }));
    assert.deepEqual(
      a.runs.map((r: any) => [r.id, r.active, r.baseline]),
      [
        ['runs/head.agentprof.jsonl', true, false],
        ['traces.otlp.json', false, false],
        ['runs/base.agentprof.jsonl', false, true],
      ],
    );
  });

  it('answers summary, bottlenecks, critical path and breakdown of the native run with the analysis’ figures', async () => {
    const analysis = analyze(await loadProfile(files.run));
    const summary = text(await client.callTool({ name: 'agentProfiler_summary', arguments: {} }));
    // 4000 × 1.5 + 2 × 500 × 1.5 = 7500 ms; 1000 + 200 tokens of gpt-4o.
    assert.deepEqual([summary.run, summary.wall_ms, summary.spans, summary.tokens], ['runs/head.agentprof.jsonl', 7500, 3, 1200]);
    assert.equal(summary.cost_usd, Math.round(analysis.run.costUsd * 1e6) / 1e6);
    assert.ok(summary.cost_usd > 0);

    const bottlenecks = text(await client.callTool({ name: 'agentProfiler_bottlenecks', arguments: { limit: 10 } }));
    assert.equal(bottlenecks.total, analysis.bottlenecks.length);
    // llm:planning averages 6000 ms, over the 3000 ms rule: a slow LLM at agent.py:5.
    const slow = bottlenecks.bottlenecks.find((b: any) => b.kind === 'slow_llm');
    assert.equal(slow.location, 'agent.py:5');
    assert.equal(slow.evidence, 'avg_ms 6.00 s (threshold 3.00 s)');

    const critical = text(await client.callTool({ name: 'agentProfiler_criticalPath', arguments: {} }));
    assert.deepEqual(
      critical.steps.map((s: any) => [s.name, s.location, s.ms]),
      [
        ['llm:planning', 'agent.py:5', 6000],
        ['step_0:tool_call', 'agent.py:10', 750],
        ['step_1:tool_call', 'agent.py:10', 750],
      ],
    );

    const bySite = text(await client.callTool({ name: 'agentProfiler_breakdown', arguments: { by: 'site' } }));
    assert.deepEqual(bySite.rows.map((r: any) => [r.location, r.calls, r.total_ms]), [['agent.py:5', 1, 6000], ['agent.py:10', 2, 1500]]);
  });

  it('compares with the baseline given on the command line, regressions first', async () => {
    const a = text(await client.callTool({ name: 'agentProfiler_compare', arguments: {} }));
    assert.equal(a.baseline, 'runs/base.agentprof.jsonl');
    // Everything took 1.5 times as long: wall 5000 → 7500 ms (+50 %), every p95 +50 %.
    assert.deepEqual(a.wall_ms, { baseline: 5000, run: 7500, change_pct: 50 });
    assert.ok(a.regressions_total >= 3);
    assert.equal(a.regressions[0].p95_change_pct, 50);
    assert.equal(a.regressions[0].total_ms_change, 2000);
  });

  it('answers about the OTLP trace by its file name, with the analysis’ figures', async () => {
    const analysis = analyze(await loadProfile(files.otlp));
    const a = text(await client.callTool({ name: 'agentProfiler_summary', arguments: { run: 'traces' } }));
    assert.deepEqual([a.run, a.name, a.wall_ms, a.spans], ['traces.otlp.json', analysis.run.name, analysis.run.wallMs, analysis.run.spans]);
    const path = text(await client.callTool({ name: 'agentProfiler_criticalPath', arguments: { run: 'traces.otlp.json', limit: 1 } }));
    // The longest step of the trace's 4000 ms path is the 3000 ms LLM call, named from its
    // operation and model (docs/conventions.md), not from the span name ChatOpenAI.
    assert.deepEqual([path.path_ms, path.steps[0].name, path.steps[0].ms], [4000, 'chat gpt-4o-mini', 3000]);
    const byModel = text(await client.callTool({ name: 'agentProfiler_breakdown', arguments: { run: 'traces.otlp.json', by: 'model' } }));
    assert.deepEqual(byModel.rows.map((r: any) => r.model), analysis.tokens.byModel.map((m) => m.model));
  });

  it('answers a missing run, a huge limit and garbage arguments with tool errors, an unknown tool with a protocol error', async () => {
    const missing = await client.callTool({ name: 'agentProfiler_summary', arguments: { run: 'gone.agentprof.jsonl' } });
    assert.equal(missing.isError, true);
    assert.equal(text(missing).error.code, 'run_not_found');
    const huge = text(await client.callTool({ name: 'agentProfiler_breakdown', arguments: { limit: 1e9 } }));
    assert.equal(huge.rows.length, 2);
    assert.match(huge.input_notes[0], /taken as 50/);
    const garbage = await client.callTool({ name: 'agentProfiler_breakdown', arguments: { by: ['x'], limit: {} } });
    assert.equal(garbage.isError, true);
    assert.equal(text(garbage).error.code, 'invalid_input');
    await assert.rejects(client.callTool({ name: 'rm_rf', arguments: {} }), (err: any) => err.code === -32602 && /Unknown tool: rm_rf/.test(err.message));
    assert.equal(stderr, '', 'nothing went wrong on the server side');
  });
});

describe('agentprof mcp (raw malformed JSON-RPC lines)', function () {
  this.timeout(30_000);

  it('answers each bad line with a JSON-RPC error and keeps serving', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-mcp-raw-'));
    const child = spawn(process.execPath, [CLI, 'mcp', ws], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const responses: any[] = [];
    const waiters: Array<() => void> = [];
    child.stdout.on('data', (d) => {
      out += String(d);
      let nl;
      while ((nl = out.indexOf('\n')) >= 0) {
        responses.push(JSON.parse(out.slice(0, nl)));
        out = out.slice(nl + 1);
        waiters.splice(0).forEach((w) => w());
      }
    });
    const next = async (): Promise<any> => {
      while (!responses.length) await new Promise<void>((resolve) => waiters.push(resolve));
      return responses.shift();
    };
    const send = (line: string) => child.stdin.write(`${line}\n`);
    try {
      send('this is not json');
      let r = await next();
      assert.deepEqual([r.id, r.error.code], [null, -32700]);
      send('[{"jsonrpc":"2.0","id":1,"method":"ping"}]');
      r = await next();
      assert.deepEqual([r.id, r.error.code], [null, -32600]);
      send('{"jsonrpc":"1.0","id":5,"method":"ping"}');
      r = await next();
      assert.deepEqual([r.id, r.error.code], [5, -32600]);
      send('{"jsonrpc":"2.0","id":6,"method":"no/such/method"}');
      r = await next();
      assert.deepEqual([r.id, r.error.code], [6, -32601]);
      send('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":42}}');
      r = await next();
      assert.deepEqual([r.id, r.error.code, r.error.message], [7, -32602, 'Invalid params: "params.name" must be the name of a tool (a string)']);
      // Still alive: a real request after all that is answered.
      send(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } }));
      r = await next();
      assert.deepEqual([r.id, r.result.serverInfo.name], [8, 'agent-profiler']);
      send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'agentProfiler_summary', arguments: 'garbage' } }));
      r = await next();
      assert.deepEqual([r.id, r.error.code, r.error.message], [9, -32602, 'Invalid params: "params.arguments" must be an object']);
      // And a well-formed call after the bad ones is answered as usual.
      send(JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'agentProfiler_summary', arguments: {} } }));
      r = await next();
      assert.deepEqual([r.id, r.result.isError, JSON.parse(r.result.content[0].text).error.code], [10, true, 'no_runs']);
    } finally {
      child.stdin.end();
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      fs.rmSync(ws, { recursive: true, force: true });
      assert.equal(code, 0, 'the server exits cleanly when stdin closes');
    }
  });
});
