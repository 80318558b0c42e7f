// Call sites of the Node recorder (recorders/node/callsite.ts) on its fast paths: one shared
// stack holder, the last site reused without a map look-up, the column read only for files with
// a source map. Agents run in child processes, as TypeScript through tsx (source-mapped) and as
// plain JavaScript requiring the built bundle (unmapped), and their profiles are read back.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { nsText } from '../../recorders/node/lines';

const ROOT = path.resolve(__dirname, '../..');
const RECORDER = path.join(ROOT, 'recorders', 'node', 'index.ts');
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

type Line = Record<string, any>;

const createdDirs: string[] = [];
after(() => {
  for (const dir of createdDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-site-')));
  createdDirs.push(dir);
  return dir;
}

let bundle: string | undefined;

/** The recorder built as recorders/node/build.js builds it, into a temporary file (once). */
function builtBundle(): string {
  if (bundle === undefined) {
    bundle = path.join(freshDir(), 'agentprof.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('esbuild').buildSync({ entryPoints: [RECORDER], outfile: bundle, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
  }
  return bundle;
}

/** 1-based line of the line holding `// @marker` in `source`. */
function lineOf(source: string, marker: string): number {
  const index = source.split('\n').findIndex((line) => line.includes(`// @${marker}`));
  assert.ok(index >= 0, `marker ${marker}`);
  return index + 1;
}

/**
 * Runs `files` (name → source, `agent.*` is the entry) in `dir/<cwd>` and returns the span
 * starts of the profile as `[name, f, l]`, in file order.
 */
function runAgent(dir: string, cwd: string, entry: string, typescript: boolean): [string, string, number][] {
  const out = path.join(dir, 'out.agentprof.jsonl');
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AGENTPROF_')));
  const args = typescript ? ['--import', TSX_LOADER, entry] : [entry];
  const r = spawnSync(process.execPath, args, { cwd: path.join(dir, cwd), env: { ...inherited, AGENTPROF_OUT: out }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'no warnings');
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Line);
  return lines.filter((l) => l.t === 's').map((l) => [l.n, l.f, l.l]);
}

// Two timers on different lines of one loop, a timer called twice on one line, and nested timers
// whose inner site sits between two outer ones: every span must keep its own line although the
// last-site cache is hit, missed and hit again.
const LOOP_BODY = `
for (let i = 0; i < 3; i++) {
  profiler.timer('loop:a', () => i); // @a
  profiler.timer('loop:b', () => i); // @b
}
profiler.timer('same:1', () => 1); profiler.timer('same:2', () => 2); // @same
profiler.timer('outer', () => {
  profiler.timer('inner', () => 0); // @inner
  return 1;
}); // @outer-end
profiler.timer('after', () => 0); // @after
`;

/** The expected starts of LOOP_BODY in `file` (lines of `source`). */
function loopExpectation(source: string, file: string): [string, string, number][] {
  const a = lineOf(source, 'a');
  const b = lineOf(source, 'b');
  const same = lineOf(source, 'same');
  // `profiler.timer('outer', …` starts two lines above the line of its inner timer.
  const outer = lineOf(source, 'inner') - 1;
  return [
    ['loop:a', file, a],
    ['loop:b', file, b],
    ['loop:a', file, a],
    ['loop:b', file, b],
    ['loop:a', file, a],
    ['loop:b', file, b],
    ['same:1', file, same],
    ['same:2', file, same],
    ['outer', file, outer],
    ['inner', file, outer + 1],
    ['after', file, lineOf(source, 'after')],
  ];
}

describe('node recorder call sites', function () {
  this.timeout(60_000);

  it('keeps each line in loops, on one line and in nested timers (TypeScript, source-mapped)', () => {
    const dir = freshDir();
    // The import line comes first, so TypeScript and emitted lines differ only by the loader's map.
    const source = `import { profiler } from ${JSON.stringify(RECORDER)};\nconst pad: number = 1; void pad;\n${LOOP_BODY}`;
    fs.writeFileSync(path.join(dir, 'agent.ts'), source);
    assert.deepEqual(runAgent(dir, '.', 'agent.ts', true), loopExpectation(source, 'agent.ts'));
  });

  it('keeps each line in loops, on one line and in nested timers (plain JavaScript bundle)', () => {
    const dir = freshDir();
    const source = `const { profiler } = require(${JSON.stringify(builtBundle())});\n${LOOP_BODY}`;
    fs.writeFileSync(path.join(dir, 'agent.js'), source);
    assert.deepEqual(runAgent(dir, '.', 'agent.js', false), loopExpectation(source, 'agent.js'));
  });

  it('writes files outside the working directory absolute and alternates between files exactly', () => {
    const dir = freshDir();
    fs.mkdirSync(path.join(dir, 'work', 'sub'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'lib'));
    const helper = `const { profiler } = require(${JSON.stringify(builtBundle())});\nexports.tool = () => profiler.timer('tool', () => 0); // @tool\n`;
    const nested = `const { profiler } = require(${JSON.stringify(builtBundle())});\nexports.step = () => profiler.timer('step', () => 0); // @step\n`;
    const agent = [
      `const { profiler } = require(${JSON.stringify(builtBundle())});`,
      `const { tool } = require('../lib/helper.js');`,
      `const { step } = require('./sub/step.js');`,
      'for (let i = 0; i < 2; i++) {',
      "  profiler.timer('agent', () => { tool(); step(); }); // @agent",
      '}',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'lib', 'helper.js'), helper);
    fs.writeFileSync(path.join(dir, 'work', 'sub', 'step.js'), nested);
    fs.writeFileSync(path.join(dir, 'work', 'agent.js'), agent);
    // cwd is dir/work: lib/helper.js is outside it (absolute), sub/step.js inside (relative).
    const tool: [string, string, number] = ['tool', path.join(dir, 'lib', 'helper.js'), lineOf(helper, 'tool')];
    const step: [string, string, number] = ['step', path.join('sub', 'step.js'), lineOf(nested, 'step')];
    const outer: [string, string, number] = ['agent', 'agent.js', lineOf(agent, 'agent')];
    assert.deepEqual(runAgent(dir, 'work', 'agent.js', false), [outer, tool, step, outer, tool, step]);
  });

  it("leaves the agent's own stack settings as they were", () => {
    const dir = freshDir();
    const agent = [
      `const { profiler } = require(${JSON.stringify(builtBundle())});`,
      'Error.stackTraceLimit = 0;',
      "Error.prepareStackTrace = (error, frames) => 'custom:' + frames.length;",
      "profiler.timer('hostile', () => 0); // @hostile",
      "if (Error.stackTraceLimit !== 0) throw new Error('limit changed');",
      'Error.stackTraceLimit = 5;',
      "if (!String(new Error('x').stack).startsWith('custom:')) throw new Error('prepareStackTrace changed');",
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'agent.js'), agent);
    assert.deepEqual(runAgent(dir, '.', 'agent.js', false), [['hostile', 'agent.js', lineOf(agent, 'hostile')]]);
  });
});

describe('node recorder nanosecond text', () => {
  it('prints whole nanoseconds as String() does, split at the millisecond', () => {
    // below 1 ms: unsplit; at and above: ms and the 6-digit rest (leading zeros kept)
    assert.equal(nsText(0), '0');
    assert.equal(nsText(999_999), '999999');
    assert.equal(nsText(1_000_000), '1000000'); // 1 ms + "000000"
    assert.equal(nsText(1_000_001), '1000001'); // 1 ms + "000001"
    assert.equal(nsText(2_147_483_649), '2147483649'); // 2^31 + 1: 2147 ms + "483649"
    assert.equal(nsText(12_345_000_000_007), '12345000000007'); // 12 345 000 ms + "000007"
    assert.equal(nsText(2 ** 51 - 1), '2251799813685247'); // the last split value: 2251799813 ms + "685247"
    assert.equal(nsText(2 ** 51), '2251799813685248'); // printed by JS itself from here on
  });

  it('leaves fractions, negatives and non-finite values to JavaScript', () => {
    assert.equal(nsText(1_000_000.5), '1000000.5');
    assert.equal(nsText(-2_000_000), '-2000000');
    assert.equal(nsText(NaN), 'NaN');
    assert.equal(nsText(Infinity), 'Infinity');
  });

  it('agrees with String() on a sweep across millisecond boundaries', () => {
    // 3 values around each of 40 ms boundaries spread over 2^31..2^51: k·1e6 − 1, k·1e6, k·1e6 + 1
    let checked = 0;
    for (let step = 0; step < 40; step++) {
      const ms = Math.floor(2 ** (31 + step / 2) / 1e6);
      for (const delta of [-1, 0, 1]) {
        const ns = ms * 1e6 + delta;
        assert.equal(nsText(ns), String(ns));
        checked++;
      }
    }
    assert.equal(checked, 120);
  });
});
