/**
 * `agentprof report` on hostile files, as a child process: the exit code, the diagnostics with
 * their line numbers (in `--json` and in the text report), and never a stack trace on stderr.
 * The small corpus comes from test/fixtures/hostile/native; the large inputs are generated into a
 * temporary folder (generate.ts) and deleted afterwards.
 */
import { strict as assert } from 'assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseJsonl } from '../../src/ingest/jsonl';
import { loadProfile } from '../../src/io/load-profile';
import { BuiltCli, CliResult, hasStackTrace } from '../fixtures/hostile/cli-harness';
import { close, deepChain, header, longName, open, writeLongLine } from '../fixtures/hostile/generate';

const CORPUS = path.join(__dirname, '../fixtures/hostile/native');
/** Files with nothing usable in them: exit 2. Every other corpus file is reported: exit 0. */
const UNUSABLE = new Set(['empty.agentprof.jsonl', 'header-only.agentprof.jsonl', 'binary-garbage.agentprof.jsonl']);

interface JsonReport {
  run: { spans: number; wall_ms: number; orphans: number };
  critical_path: Array<{ start_ms: number; end_ms: number }>;
  diagnostics: Array<{ line: number; severity: string; message: string }>;
}

describe('CLI on hostile files', function () {
  this.timeout(120_000);
  let cli: BuiltCli;
  let tmp: string;
  before(() => {
    cli = new BuiltCli();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'agentprof-cli-hostile-'));
  });
  after(() => {
    cli.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  const noStack = (r: CliResult) => assert.ok(!hasStackTrace(r.stderr), `stack trace on stderr:\n${r.stderr}`);

  it('every corpus file: exit code, --json diagnostics equal to the loader’s, text report lines, no stack trace', async () => {
    const names = readdirSync(CORPUS).sort();
    assert.equal(names.length, 16);
    const results = await Promise.all(
      names.map(async (name) => {
        const file = path.join(CORPUS, name);
        return { name, file, json: await cli.run(['report', file, '--json']), text: await cli.run(['report', file]) };
      }),
    );
    for (const { name, file, json, text } of results) {
      // The CLI prints what the loader found; for every file but the garbage that is the native reader's.
      const expected = await loadProfile(file);
      if (name !== 'binary-garbage.agentprof.jsonl') assert.deepEqual(expected.diagnostics, parseJsonl(readFileSync(file)).diagnostics, name);
      for (const r of [json, text]) {
        noStack(r);
        assert.equal(r.code, UNUSABLE.has(name) ? 2 : 0, `${name}: exit ${r.code}\n${r.stderr}`);
      }
      if (expected.diagnostics.length > 0) {
        const first = expected.diagnostics[0];
        assert.ok(json.stderr.includes(`first at line ${first.line}: ${first.message}`), `${name}: ${json.stderr}`);
      }
      if (UNUSABLE.has(name)) {
        assert.match(json.stderr, /no spans or token records could be read; not a usable profile/);
        assert.equal(json.stdout, '');
        continue;
      }
      const report = JSON.parse(json.stdout) as JsonReport;
      assert.equal(report.run.spans, expected.spans.length, name);
      assert.deepEqual(report.diagnostics, expected.diagnostics.map((d) => ({ line: d.line, severity: d.severity, message: d.message })), name);
      for (const d of expected.diagnostics) assert.ok(text.stdout.includes(`:${d.line}: ${d.severity}: ${d.message}`), `${name}: text lacks line ${d.line}`);
    }
  });

  it('a missing file, a folder and a bad option: exit 2 with one line of explanation', async () => {
    const missing = await cli.run(['report', path.join(tmp, 'nope.agentprof.jsonl')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^agentprof: cannot read .*nope\.agentprof\.jsonl: ENOENT/);
    const folder = await cli.run(['report', tmp]);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /is a folder, not a profile file/);
    const option = await cli.run(['report', '--frobnicate', 'x']);
    assert.equal(option.code, 2);
    for (const r of [missing, folder, option]) noStack(r);
  });

  it('the OTLP, Chrome and console corpus: read by format detection; exit code, diagnostics and no stack trace', async () => {
    const root = path.join(__dirname, '../fixtures/hostile');
    const files = ['otlp', 'chrome', 'console'].flatMap((d) => readdirSync(path.join(root, d)).map((f) => path.join(d, f)));
    assert.equal(files.length, 7);
    for (const name of files.sort()) {
      const file = path.join(root, name);
      const expected = await loadProfile(file);
      const r = await cli.run(['report', file, '--json']);
      noStack(r);
      const usable = expected.spans.length + expected.usage.length > 0;
      assert.equal(r.code, usable ? 0 : 2, `${name}: ${r.stderr}`);
      if (!usable) continue;
      const report = JSON.parse(r.stdout) as JsonReport;
      assert.equal(report.run.spans, expected.spans.length, name);
      assert.deepEqual(report.diagnostics, expected.diagnostics.map((d) => ({ line: d.line, severity: d.severity, message: d.message })), name);
    }
  });

  it('100 000-deep nesting: the text report renders (45 rows, the rest counted) and the JSON path tiles the run', async () => {
    const file = path.join(tmp, 'deep.agentprof.jsonl');
    writeFileSync(file, deepChain(100_000));
    const [text, json] = await Promise.all([cli.run(['report', file]), cli.run(['report', file, '--json'])]);
    for (const r of [text, json]) {
      noStack(r);
      assert.equal(r.code, 0);
    }
    // The waterfall shows 3 × 15 rows: 100 000 − 45 = 99 955 more.
    assert.match(text.stdout, /… 99,?955 more rows/);
    const report = JSON.parse(json.stdout) as JsonReport;
    // Span 1 opens at 1 and closes at 2·100 000 = 200 000: wall 199 999 ns = 0.199999 ms.
    assert.equal(report.run.spans, 100_000);
    assert.equal(report.run.wall_ms, 0.2);
    const total = report.critical_path.reduce((sum, s) => sum + (s.end_ms - s.start_ms), 0);
    assert.ok(Math.abs(total - 0.199999) < 1e-3);
    assert.deepEqual(report.diagnostics, []);
  });

  it('a 50 MB line: skipped unread with its line number, the spans around it kept', async () => {
    const file = path.join(tmp, 'long-line.agentprof.jsonl');
    writeLongLine(file);
    const r = await cli.run(['report', file, '--json'], { maxOldSpaceMb: 256 });
    noStack(r);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.run.spans, 2);
    assert.deepEqual(report.diagnostics, [{ line: 3, severity: 'error', message: 'line longer than the limit of 16777216 bytes; skipped unread' }]);
    rmSync(file);
  });

  it('a 2 GiB file (sparse after a valid start): loads the first 512 MiB and says how much of how much', async () => {
    const file = path.join(tmp, 'huge.agentprof.jsonl');
    writeFileSync(file, header('huge') + open(1, 0) + close(1, 10));
    truncateSync(file, 2 * 1024 ** 3); // the rest reads as NUL bytes: one endless line
    const r = await cli.run(['report', file, '--json'], { maxOldSpaceMb: 256 });
    noStack(r);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.equal(report.run.spans, 1);
    // 512 MiB = 536 870 912 bytes of 2 GiB = 2 147 483 648.
    assert.deepEqual(report.diagnostics, [
      { line: 4, severity: 'error', message: 'line longer than the limit of 16777216 bytes; skipped unread' },
      {
        line: 0,
        severity: 'warning',
        message: 'only the first 536870912 of 2147483648 bytes are loaded (the limit is 536870912 bytes); the rest of the file is not shown',
      },
    ]);
    rmSync(file);
  });

  it('a 1 MB span name: the text report stays small, the JSON keeps the name whole', async () => {
    const file = path.join(tmp, 'long-name.agentprof.jsonl');
    writeFileSync(file, longName(1024 * 1024));
    const [text, json] = await Promise.all([cli.run(['report', file]), cli.run(['report', file, '--json'])]);
    for (const r of [text, json]) {
      noStack(r);
      assert.equal(r.code, 0);
    }
    assert.ok(text.stdout.length < 20_000, `text report is ${text.stdout.length} characters`);
    assert.ok(json.stdout.includes('n'.repeat(1024 * 1024)));
  });
});
