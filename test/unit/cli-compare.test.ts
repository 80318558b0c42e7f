// `agentprof compare`, run as a user runs it: warnings before any number, in text, Markdown and JSON.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';

const ROOT = path.resolve(__dirname, '../..');
const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const NATIVE = path.join(ROOT, 'test/fixtures/native/sample.agentprof.jsonl');

function agentprof(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('agentprof compare', function () {
  this.timeout(60_000);
  let dir: string;
  let cancelled: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-compare-'));
    // The sample run cut after its first 12 records: no end record, spans left open (cancelled).
    cancelled = path.join(dir, 'cancelled.agentprof.jsonl');
    fs.writeFileSync(cancelled, fs.readFileSync(NATIVE, 'utf8').split('\n').slice(0, 12).join('\n') + '\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says a cancelled run is not comparable before any number, in text, Markdown and JSON', () => {
    const text = agentprof('compare', NATIVE, cancelled);
    assert.equal(text.code, 0, text.stderr);
    const warning = text.stdout.indexOf('This run (research_agent) did not finish');
    assert.ok(warning > 0, text.stdout);
    assert.ok(warning < text.stdout.indexOf('wall'), 'the warning comes before the summary');

    const md = agentprof('compare', '--markdown', NATIVE, cancelled);
    assert.equal(md.code, 0, md.stderr);
    const headings = md.stdout.split('\n').filter((l) => l.startsWith('## '));
    assert.deepEqual(headings, ['## Warnings', '## Summary', '## By call site', '## By name', '## By category']);
    assert.match(md.stdout, /^- ⚠ \*\*This run \(research\\_agent\) did not finish: it was cancelled or is still running; 4 spans never closed/m);

    const json = JSON.parse(agentprof('compare', '--json', NATIVE, cancelled).stdout);
    // The sample baseline itself ended with an error; the cut copy never ended.
    assert.deepEqual(json.warnings.map((w: { kind: string; run: string }) => [w.kind, w.run]), [['failed', 'base'], ['unfinished', 'head']]);
    assert.equal(json.head.ended, false);
    assert.ok(Array.isArray(json.by_name) && json.by_name.length > 0);
  });
});
