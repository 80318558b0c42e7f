// `agentprof export` and `agentprof report --run`, run as a user runs them: a child process.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parseChrome } from '../../src/ingest/chrome';
import { NOT_A_PROFILE } from '../../src/ingest/detect';
import { parseJsonl } from '../../src/ingest/jsonl';

const ROOT = path.resolve(__dirname, '../..');
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const NATIVE = path.join(ROOT, 'test/fixtures/native/sample.agentprof.jsonl');
const CONSOLE = path.join(ROOT, 'test/fixtures/interop/otel-console.txt');

function agentprof(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('agentprof export and report --run', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exports to stdout, or to a file with -o', () => {
    const metrics = agentprof('export', '--format', 'prometheus', NATIVE);
    assert.equal(metrics.code, 0, metrics.stderr);
    assert.ok(metrics.stdout.includes('agent_task_duration_seconds{agent="research_agent"} 9.12\n'));
    const out = path.join(dir, 'trace.json');
    const chrome = agentprof('export', '--format', 'chrome', NATIVE, '-o', out);
    assert.equal(chrome.code, 0, chrome.stderr);
    assert.equal(chrome.stdout, '');
    assert.match(chrome.stderr, /chrome written to/);
    const back = parseChrome(fs.readFileSync(out, 'utf8'));
    const original = parseJsonl(fs.readFileSync(NATIVE));
    assert.deepEqual(back.spans.map((s) => [s.id, s.start, s.end]), original.spans.map((s) => [s.id, s.start, s.end]));
  });

  it('rejects a missing or unknown format with usage exit code 2', () => {
    const none = agentprof('export', NATIVE);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /export needs --format \(chrome, speedscope, prometheus, openmetrics, markdown, html, sarif\)/);
    const bogus = agentprof('export', '--format', 'pdf', NATIVE);
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /unknown export format 'pdf'/);
  });

  it('reports the first run of a file with several traces, says how to pick another, and picks with --run', () => {
    const first = agentprof('report', CONSOLE);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /holds 2 runs \(traces\); showing run 1, the largest\. Pick another with --run N \(2: research-agent: health_check \(1 span\)\)/);
    assert.match(first.stdout, /^Agent Profiler report: research-agent: invoke_agent research$/m);
    const second = agentprof('report', CONSOLE, '--run', '2', '--json');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(JSON.parse(second.stdout).run.name, 'research-agent: health_check');
    const missing = agentprof('report', CONSOLE, '--run', '3');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /holds 2 runs; there is no run 3/);
    assert.equal(agentprof('report', CONSOLE, '--run', '0').code, 2);
  });

  it('says clearly when a file is not a profile', () => {
    const notes = path.join(dir, 'notes.txt');
    fs.writeFileSync(notes, 'just notes\n');
    const r = agentprof('report', notes);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(NOT_A_PROFILE), r.stderr);
  });
});
