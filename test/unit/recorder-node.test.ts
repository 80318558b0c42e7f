// The Node recorder (recorders/node), tested the way agents use it: small agents run in child
// processes (node --import tsx) and the profile they leave is read back line by line, then
// through the real reader (src/ingest/jsonl.ts).
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parseJsonl } from '../../src/ingest/jsonl';
import { PerformanceProfiler, ProfileWriter, TokenProfiler } from '../../recorders/node/index';

const ROOT = path.resolve(__dirname, '../..');
const RECORDER = path.join(ROOT, 'recorders', 'node', 'index.ts');
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

type Line = Record<string, any>;

interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
  pid: number;
  dir: string;
  /** Parsed profile lines (empty when no file was written). */
  lines: Line[];
  text: string;
  /** 1-based line of the agent source holding `// @marker`. */
  lineOf(marker: string): number;
  spansNamed(name: string): Line[];
  endOf(id: number): Line;
  agentsOutput(): any;
}

function freshDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-node-')));
  createdDirs.push(dir);
  return dir;
}

/**
 * Writes `body` as `agent.ts` in a fresh directory (after a prelude importing the recorder) and
 * runs it there through tsx with the profile going to `out.agentprof.jsonl`, unless `env` says
 * otherwise. With `bundle`, the agent is plain `agent.js` requiring that built recorder instead.
 */
async function runAgent(body: string, env: Record<string, string> = {}, bundle?: string): Promise<AgentRun> {
  const dir = freshDir();
  const prelude = bundle
    ? [`const { profiler, tokens } = require(${JSON.stringify(bundle)});`, 'void tokens;']
    : [
        `import { profiler, tokens, PerformanceProfiler } from ${JSON.stringify(RECORDER)};`,
        'const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));',
        'void PerformanceProfiler; void sleep; void tokens;',
      ];
  const source = `${prelude.join('\n')}\n${body}\n`;
  const script = bundle ? 'agent.js' : 'agent.ts';
  fs.writeFileSync(path.join(dir, script), source);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AGENTPROF_')));
  const out = path.join(dir, 'out.agentprof.jsonl');
  const args = bundle ? [script] : ['--import', TSX_LOADER, script];
  const child = spawn(process.execPath, args, { cwd: dir, env: { ...inherited, AGENTPROF_OUT: out, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n').map((line) => JSON.parse(line) as Line);
  const sourceLines = source.split('\n');
  return {
    code,
    stdout,
    stderr,
    pid: child.pid ?? -1,
    dir,
    lines,
    text,
    lineOf: (marker) => {
      const index = sourceLines.findIndex((line) => line.includes(`// @${marker}`));
      assert.ok(index >= 0, `marker ${marker}`);
      return index + 1;
    },
    spansNamed: (name) => lines.filter((l) => l.t === 's' && l.n === name),
    endOf: (id) => {
      const ends = lines.filter((l) => l.t === 'e' && l.id === id);
      assert.equal(ends.length, 1, `one end for span ${id}`);
      return ends[0];
    },
    agentsOutput: () => JSON.parse(stdout.trim().split('\n').pop() as string),
  };
}

const createdDirs: string[] = [];
after(() => {
  for (const dir of createdDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function agentprofWarnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('agentprof:'));
}

describe('node recorder', function () {
  this.timeout(30_000);

  it('records the header, nested and concurrent spans, usage, budget and end of an async agent', async () => {
    const before = Date.now();
    const run = await runAgent(`
async function main() {
  const result = await profiler.timer('agent:run', async () => { // @run
    const plan = await profiler.timer('llm:plan', async () => { // @plan
      await sleep(2);
      tokens.record('llm:plan', 1200, 340, 'gpt-4o-mini', { provider: 'openai', cacheReadTokens: 800, cost: 0.00041, promptHash: 'a1b2', temperature: 0 }); // @usage
      return { steps: 3 };
    }, { model: 'gpt-4o-mini' });
    const found = await Promise.all([30, 10, 20].map((ms) => profiler.timer('tool:search', async () => { // @tool
      await profiler.timer('llm:rank', () => sleep(ms)); // @rank
      return ms;
    }, { ms })));
    return { plan, found };
  });
  tokens.setBudget('llm', 5000);
  const sync = profiler.timer('memory:get', () => 42); // @sync
  console.log(JSON.stringify({ result, sync, budget: tokens.checkBudget('llm'), summary: tokens.getSummary() }));
}
void main();
`);
    const after = Date.now();
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.text.endsWith('\n'));

    const [header] = run.lines;
    assert.deepEqual(
      { t: header.t, v: header.v, name: header.name, pid: header.pid, cwd: header.cwd, lang: header.lang },
      { t: 'run', v: 1, name: 'agent', pid: run.pid, cwd: run.dir, lang: 'node' },
    );
    assert.match(header.recorder, /^agentprof-node\//);
    assert.ok(String(header.argv[0]).endsWith('agent.ts'));
    assert.match(header.start, /^\d+$/);
    const startMs = Number(BigInt(header.start) / 1_000_000n);
    assert.ok(startMs >= before && startMs <= after, `start ${startMs} within the run [${before}, ${after}]`);

    const [agentRun] = run.spansNamed('agent:run');
    const [plan] = run.spansNamed('llm:plan');
    const tools = run.spansNamed('tool:search');
    const ranks = run.spansNamed('llm:rank');
    const [memory] = run.spansNamed('memory:get');
    assert.equal(agentRun.p, undefined);
    assert.equal(plan.p, agentRun.id);
    assert.deepEqual(plan.a, { model: 'gpt-4o-mini' });
    // Promise.all: every tool is a child of agent:run, none of another tool …
    assert.deepEqual(tools.map((t) => t.p), [agentRun.id, agentRun.id, agentRun.id]);
    assert.deepEqual(tools.map((t) => t.a.ms), [30, 10, 20]);
    // … and each llm:rank is the child of its own tool (the tools started in order, so did the ranks)
    assert.deepEqual(ranks.map((r) => r.p), tools.map((t) => t.id));
    assert.equal(memory.p, undefined);

    const starts = run.lines.filter((l) => l.t === 's');
    assert.equal(new Set(starts.map((s) => s.id)).size, 9, '9 spans, 9 distinct ids');
    assert.ok(starts.every((s) => Number.isInteger(s.id)));
    for (const start of starts) assert.ok(run.endOf(start.id).at >= start.at, `span ${start.n} ends after it starts`);
    assert.equal(run.endOf(plan.id).err, undefined);

    const expectedSites: [Line, string][] = [[agentRun, 'run'], [plan, 'plan'], [tools[0], 'tool'], [ranks[2], 'rank'], [memory, 'sync']];
    for (const [span, marker] of expectedSites) assert.deepEqual([span.f, span.l], ['agent.ts', run.lineOf(marker)], span.n);

    const [usage] = run.lines.filter((l) => l.t === 'u');
    assert.deepEqual(
      { ...usage, at: undefined },
      { t: 'u', span: plan.id, op: 'llm:plan', model: 'gpt-4o-mini', prov: 'openai', in: 1200, out: 340, cr: 800, cost: 0.00041, at: undefined, f: 'agent.ts', l: run.lineOf('usage'), k: 'a1b2', a: { temperature: 0 } },
    );
    assert.deepEqual(run.lines.filter((l) => l.t === 'b'), [{ t: 'b', target: 'llm', tokens: 5000 }]);
    const last = run.lines[run.lines.length - 1];
    assert.equal(last.t, 'end');
    assert.equal(last.status, 'ok');

    const output = run.agentsOutput();
    assert.deepEqual(output.result, { plan: { steps: 3 }, found: [30, 10, 20] }, 'results pass through untouched');
    assert.equal(output.sync, 42);
    // llm budget 5000 − (1200 + 340) tokens of llm:plan = 3460 remaining
    assert.deepEqual(output.budget, [true, 3460]);
    assert.deepEqual(output.summary.by_model['gpt-4o-mini'], { count: 1, prompt_tokens: 1200, completion_tokens: 340, cost: 0.00041 });

    const profile = parseJsonl(run.text);
    assert.deepEqual(profile.diagnostics, []);
    assert.equal(profile.spans.length, 9);
    assert.equal(profile.usage[0].span, profile.spans.findIndex((s) => s.name === 'llm:plan'));
    assert.equal(profile.run.exitStatus, 'ok');
  });

  it('records failures and lets every error through unchanged, ending the run as error', async () => {
    const run = await runAgent(`
class ToolError extends Error {}
const boom = new ToolError('search timed out');
let caught: unknown;
try {
  profiler.timer('tool:sync', () => { throw boom; });
} catch (error) { caught = error; }
const manual = profiler.start('tool:manual');
manual.fail(new TypeError('bad input'));
manual.end(); // ignored: a span ends once
profiler.timer('tool:async', async () => { await sleep(1); throw boom; }).catch((error) => {
  console.log(JSON.stringify({ syncSame: caught === boom, asyncSame: error === boom }));
  setTimeout(() => profiler.timer('agent:final', () => { throw new RangeError('gave up'); }), 1);
});
`);
    assert.equal(run.code, 1, 'the uncaught RangeError still ends the process with code 1');
    assert.match(run.stderr, /RangeError: gave up/);
    assert.deepEqual(run.agentsOutput(), { syncSame: true, asyncSame: true });
    const errorOf = (name: string): string => run.endOf(run.spansNamed(name)[0].id).err;
    assert.equal(errorOf('tool:sync'), 'ToolError: search timed out');
    assert.equal(errorOf('tool:async'), 'ToolError: search timed out');
    assert.equal(errorOf('tool:manual'), 'TypeError: bad input');
    assert.equal(errorOf('agent:final'), 'RangeError: gave up');
    const last = run.lines[run.lines.length - 1];
    assert.deepEqual({ ...last, at: undefined }, { t: 'end', at: undefined, status: 'error', err: 'RangeError: gave up' });
    const profile = parseJsonl(run.text);
    assert.deepEqual(profile.diagnostics, []);
    assert.equal(profile.run.exitError, 'RangeError: gave up');
  });

  it('nests manual spans, timed wrappers and repeated names by id', async () => {
    const run = await runAgent(`
const search = profiler.timed('tool:search', async (query: string) => { // @timed
  await sleep(1);
  return query.toUpperCase();
});
async function helper() {
  const span = profiler.start('memory:load'); // @manual
  await sleep(5);
  span.end({ items: 2 });
}
async function main() {
  const outer = profiler.start('agent:step');
  profiler.timer('memory:read', () => 1);
  outer.end();
  profiler.timer('memory:after', () => 2);
  const found = await profiler.timer('agent:run', () => Promise.all([search('a'), search('b')]));
  profiler.timer('step', () => profiler.timer('step', () => profiler.timer('step', () => 'deep')));
  await helper();
  const ownPrepare = (): string => 'own stack';
  Error.prepareStackTrace = ownPrepare;
  Error.stackTraceLimit = 7;
  profiler.timer('memory:later', () => 3);
  const stackSettingsKept = Error.prepareStackTrace === ownPrepare && Error.stackTraceLimit === 7 && new Error().stack === 'own stack';
  console.log(JSON.stringify({ found, summary: profiler.getSummary().memory.count, stackSettingsKept }));
}
void main();
`);
    assert.equal(run.code, 0, run.stderr);
    const one = (name: string): Line => run.spansNamed(name)[0];
    assert.equal(one('memory:read').p, one('agent:step').id, 'a timer inside a manual span is its child');
    assert.equal(one('memory:after').p, undefined, 'after end() the manual span is no longer the parent');
    const searches = run.spansNamed('tool:search');
    assert.deepEqual(searches.map((s) => s.p), [one('agent:run').id, one('agent:run').id]);
    assert.deepEqual(searches.map((s) => [s.f, s.l]), [['agent.ts', run.lineOf('timed')], ['agent.ts', run.lineOf('timed')]]);
    const steps = run.spansNamed('step');
    assert.deepEqual(steps.map((s) => s.p), [undefined, steps[0].id, steps[1].id], 'same names, parents by id');
    assert.deepEqual([one('memory:load').f, one('memory:load').l], ['agent.ts', run.lineOf('manual')]);
    assert.deepEqual(run.endOf(one('memory:load').id).a, { items: 2 });
    assert.equal(one('memory:later').p, undefined, 'an ended manual span does not linger as parent');
    // memory:read, memory:after, memory:load, memory:later
    assert.deepEqual(run.agentsOutput(), { found: ['A', 'B'], summary: 4, stackSettingsKept: true });
    assert.deepEqual(parseJsonl(run.text).diagnostics, []);
  });

  it('has a span start on disk while the span runs, and later lines within milliseconds', async () => {
    const run = await runAgent(`
import { readFileSync } from 'fs';
const onDisk = (): string[] => readFileSync(process.env.AGENTPROF_OUT as string, 'utf8').split('\\n').filter(Boolean);
async function main() {
  const first = profiler.timer('tool:first', () => onDisk());
  await sleep(20); // quiet: the next start is written at once, the end of tool:first by the flush timer
  const second = profiler.timer('tool:second', () => onDisk());
  tokens.record('llm:x', 10, 5, 'm');
  await sleep(20);
  console.log(JSON.stringify({ first, second, later: onDisk() }));
}
void main();
`);
    assert.equal(run.code, 0, run.stderr);
    const seen = run.agentsOutput() as Record<string, string[]>;
    const types = (lines: string[]): string[] => lines.map((line) => JSON.parse(line).t + ':' + (JSON.parse(line).n ?? ''));
    assert.deepEqual(types(seen.first), ['run:', 's:tool:first']);
    assert.deepEqual(types(seen.second), ['run:', 's:tool:first', 'e:', 's:tool:second']);
    assert.deepEqual(types(seen.later), ['run:', 's:tool:first', 'e:', 's:tool:second', 'e:', 'u:']);
  });

  it('keeps the agent running when the profile cannot be written', async () => {
    const run = await runAgent(
      `
const value = profiler.timer('tool:a', () => 7);
tokens.record('llm:x', 10, 5, 'gpt-4o-mini');
profiler.timer('tool:b', () => 8);
console.log(JSON.stringify({ value, records: profiler.records.length }));
`,
      { AGENTPROF_OUT: path.join(os.tmpdir(), 'agentprof-no-such-dir', 'x', 'out.agentprof.jsonl') },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.agentsOutput(), { value: 7, records: 2 });
    const warnings = agentprofWarnings(run.stderr);
    assert.equal(warnings.length, 1, run.stderr);
    assert.match(warnings[0], /cannot write the profile to .*agentprof-no-such-dir/);
  });

  it('keeps the agent running when the disk is full', async function () {
    if (!fs.existsSync('/dev/full')) this.skip(); // Linux: every write fails with ENOSPC
    const run = await runAgent(
      `
const values = [profiler.timer('tool:a', () => 1), profiler.timer('tool:b', () => 2)];
console.log(JSON.stringify({ values }));
`,
      { AGENTPROF_OUT: '/dev/full' },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.agentsOutput(), { values: [1, 2] });
    const warnings = agentprofWarnings(run.stderr);
    assert.equal(warnings.length, 1, run.stderr);
    assert.match(warnings[0], /ENOSPC/);
  });

  it('leaves out metadata it cannot write, with one warning', async () => {
    const run = await runAgent(`
const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;
profiler.timer('tool:a', () => 1, circular);
profiler.timer('tool:b', () => 2, { big: 10n });
profiler.timer('tool:c', () => 3, { fine: true });
`);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(agentprofWarnings(run.stderr).length, 1, run.stderr);
    assert.deepEqual(['tool:a', 'tool:b', 'tool:c'].map((n) => run.spansNamed(n)[0].a), [undefined, undefined, { fine: true }]);
  });

  it('writes to .agentprof/ under the working directory by default, and nothing when disabled', async () => {
    const body = `profiler.timer('tool:a', () => 1);`;
    const byDefault = await runAgent(body, { AGENTPROF_OUT: '' });
    const files = fs.readdirSync(path.join(byDefault.dir, '.agentprof'));
    assert.equal(files.length, 1);
    assert.match(files[0], /^\d{8}T\d{6}Z-agent\.agentprof\.jsonl$/);
    const disabled = await runAgent(body, { AGENTPROF_OUT: '', AGENTPROF_DISABLE: '1' });
    assert.equal(disabled.code, 0);
    assert.equal(fs.existsSync(path.join(disabled.dir, '.agentprof')), false);
  });
});

describe('node recorder, built and shipped', function () {
  this.timeout(60_000);

  it('bundles into one file needing only Node built-ins, recording plain JavaScript call sites', async () => {
    const bundle = path.join(freshDir(), 'agentprof.js');
    // the same options as recorders/node/build.js, into a temporary file
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('esbuild').buildSync({ entryPoints: [RECORDER], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
    const required = [...fs.readFileSync(bundle, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.ok(required.length > 0);
    assert.deepEqual(required.filter((name) => !name.startsWith('node:')), [], 'only node: built-ins');

    const run = await runAgent(
      `
const value = profiler.timer('tool:plain', () => 'js'); // @plain
console.log(JSON.stringify({ value }));
`,
      {},
      bundle,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.agentsOutput(), { value: 'js' });
    const [span] = run.spansNamed('tool:plain');
    assert.deepEqual([span.f, span.l], ['agent.js', run.lineOf('plain')]);
  });

  it('runs the example agent into a profile the reader takes without complaint', async () => {
    const out = path.join(freshDir(), 'example.agentprof.jsonl');
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AGENTPROF_')));
    const child = spawn(process.execPath, ['--import', TSX_LOADER, 'examples/node-agent/agent.ts'], {
      cwd: ROOT,
      env: { ...inherited, AGENTPROF_OUT: out },
      stdio: 'ignore',
    });
    assert.equal(await new Promise((resolve) => child.on('close', resolve)), 0);
    const profile = parseJsonl(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(profile.diagnostics, []);
    // agent:run, llm:planning, agent:tools, 2 × tool:web_search, 2 × memory:lookup, memory:store,
    // 2 × tool:weather (one failed), agent:retry, tool:calculator, llm:synthesis = 13 spans
    assert.equal(profile.spans.length, 13);
    assert.deepEqual(profile.usage.map((u) => u.model), ['gpt-4o-mini', 'claude-sonnet-4-5']);
    assert.deepEqual(profile.spans.filter((s) => s.status === 'error').map((s) => s.name), ['tool:weather']);
    assert.ok(profile.spans.every((s) => s.file === path.join('examples', 'node-agent', 'agent.ts')));
  });
});

describe('node recorder summaries (in process, nothing written)', () => {
  const writer = new ProfileWriter({ disabled: true });

  it('sums timers per category', async () => {
    const timing = new PerformanceProfiler({ writer });
    timing.timer('llm:a', () => undefined);
    await timing.timer('llm:b', () => new Promise((resolve) => setTimeout(resolve, 2)));
    timing.timer('tool', () => undefined);
    const summary = timing.getSummary();
    assert.deepEqual(Object.keys(summary).sort(), ['llm', 'tool']);
    assert.equal(summary.llm.count, 2);
    const [a, b] = timing.records;
    assert.equal(summary.llm.total_ms, a.durationMs + b.durationMs);
    assert.equal(summary.llm.max_ms, Math.max(a.durationMs, b.durationMs));
    assert.equal(summary.llm.avg_ms, summary.llm.total_ms / 2);
    // both from the same clock reading: ns/1e6 and perf-ms differences agree up to rounding
    assert.ok(Math.abs(b.durationMs - (b.endTime - b.startTime)) < 1e-6);
    assert.equal(timing.records[2].parent, null);
  });

  it('checks budgets by operation prefix and adds cache tokens left out of the prompt count', () => {
    const usage = new TokenProfiler({ writer });
    usage.record('llm:plan', 100, 50, 'm1');
    usage.record('llm:answer', 200, 100, 'm1', { cost: 0.01 });
    usage.record('tool:embed', 1000, 0, 'm2');
    // Anthropic-style counts: 20 uncached input + 500 cache read + 100 cache write = 620 input
    usage.record('llm:cached', 20, 10, 'm2', { cacheReadTokens: 500, cacheWriteTokens: 100 });
    assert.equal(usage.usageRecords[3].promptTokens, 620);
    usage.setBudget('llm', 1000);
    // llm: 150 + 300 + 630 = 1080 tokens against 1000
    assert.deepEqual(usage.checkBudget('llm'), [false, -80]);
    assert.deepEqual(usage.checkBudget('tool'), [true, Infinity]);
    const summary = usage.getSummary();
    assert.equal(summary.total_tokens, 150 + 300 + 1000 + 630);
    assert.equal(summary.total_cost, 0.01);
    assert.deepEqual(summary.by_model.m2, { count: 2, prompt_tokens: 1620, completion_tokens: 10, cost: 0 });
    assert.equal(summary.record_count, 4);
  });
});
