/**
 * Nothing from a profile, a budgets file or a file name acts on the terminal: `agentprof` prints
 * every such string with its control characters shown escaped (src/core/report/printable.ts), in
 * the text report with and without colour, its tables, the waterfall, compare, exports printed to
 * stdout, `--json` and every message on stderr. And `agentprof report … | head` ends quietly.
 */
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { printable, printableDocument, printableJson } from '../../src/core/report/printable';
import { BuiltCli, hasStackTrace } from '../fixtures/hostile/cli-harness';

/** Every attack the red team used, in one string. */
const EVIL =
  'A\x1b]0;pwned-title\x07' + // window title (OSC 0)
  '\x1b]52;c;ZXZpbA==\x07' + // clipboard write (OSC 52)
  '\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\' + // fake hyperlink (OSC 8)
  '\x1b[2J\x1b[H' + // clear screen
  'over\rprint' + // overprint
  '\nFORGED: all budgets ok' + // a forged report line
  '\x7f\x9b31m\u202eevil\u2066\u2028Z'; // DEL, C1 CSI, bidi override and isolate, line separator

/** Characters that must never reach the terminal raw (newlines between lines aside). */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const OWN_SGR = /\x1b\[[0-9;]*m/g;

function assertClean(text: string, where: string, color = false): void {
  const withoutOwnColours = color ? text.replace(OWN_SGR, '') : text;
  const m = RAW.exec(withoutOwnColours);
  assert.equal(m, null, `${where}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(withoutOwnColours.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
  assert.ok(!/^FORGED/m.test(text), `${where}: a forged line starts a line`);
}

describe('clean terminal output', function () {
  this.timeout(60_000);

  it('printable escapes controls, DEL, C1, separators and bidi controls, and nothing else', () => {
    assert.equal(printable('a\x1b[2Jb'), 'a\\x1b[2Jb');
    assert.equal(printable('x\ny\rz\tw'), 'x\\ny\\rz\\tw');
    assert.equal(printable('\x00\x07\x7f\x9b\x85'), '\\x00\\x07\\x7f\\x9b\\x85');
    assert.equal(printable('\u202eabc\u2066\u2069\u200f\u061c\u2028\u2029'), '\\u202eabc\\u2066\\u2069\\u200f\\u061c\\u2028\\u2029');
    const kept = 'llm:plan é 日本 🚀 ü\u00a0€ \u200d';
    assert.equal(printable(kept), kept);
    assert.equal(printableDocument('a\n\tb\x1bc\r'), 'a\n\tb\\x1bc\\r');
    const json = JSON.stringify({ n: EVIL });
    assert.deepEqual(JSON.parse(printableJson(json)), { n: EVIL }, 'the same JSON value');
    assert.equal(RAW.exec(printableJson(json).replace(/\n/g, '')), null);
  });

  describe('the CLI on a hostile profile and budgets file', () => {
    let cli: BuiltCli;
    let tmp: string;
    let profile: string;
    let budgets: string;
    before(() => {
      cli = new BuiltCli();
      tmp = mkdtempSync(path.join(os.tmpdir(), 'agentprof-term-'));
      // Evil in the run name, span names (a category and a call site), file path, error, model, operation, budget target.
      const lines = [
        { t: 'run', v: 1, name: `run${EVIL}`, start: '1763900000000000000', cwd: '/w', argv: [`a${EVIL}`] },
        { t: 's', id: 1, n: `llm${EVIL}:plan`, at: 0, f: `agent${EVIL}.py`, l: 3 },
        { t: 's', id: 2, p: 1, n: `tool:${EVIL}`, at: 1_000_000, f: 'agent.py', l: 4 },
        { t: 'e', id: 2, at: 5_000_000_000, err: `Timeout${EVIL}` },
        { t: 's', id: 3, p: 1, n: `tool:${EVIL}`, at: 5_000_000_000, f: 'agent.py', l: 4 },
        { t: 'e', id: 3, at: 6_000_000_000 },
        { t: 's', id: 4, p: 1, n: `tool:${EVIL}`, at: 6_000_000_000, f: 'agent.py', l: 4 },
        { t: 'e', id: 4, at: 7_000_000_000 },
        { t: 'u', op: `llm${EVIL}:plan`, model: `gpt${EVIL}`, in: 100000, out: 5000, span: 1 },
        { t: 'b', target: `llm${EVIL}`, tokens: 10 },
        { t: 'e', id: 1, at: 9_000_000_000 },
        { t: 'x', weird: 1 },
      ];
      profile = path.join(tmp, 'evil.agentprof.jsonl');
      writeFileSync(profile, lines.map((l) => JSON.stringify(l)).join('\n') + '\n' + `{"t":"s","id":9,"n":"${EVIL.replace(/[\x00-\x1f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"` + '\n');
      budgets = path.join(tmp, 'budgets.json');
      writeFileSync(budgets, JSON.stringify({ budgets: [{ target: `tool${EVIL}`, tokens: 1, [`k${EVIL}`]: 1 }, { target: `llm${EVIL}`, cost: 'x' }] }));
    });
    after(() => {
      cli.dispose();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('report (no colour), report (colour), --json, compare and exports to stdout: no raw control character, no forged line', async () => {
      const runs: Array<[string, string[], boolean]> = [
        ['report', ['report', profile, '--budgets', budgets], false],
        ['report --no-color', ['report', profile, '--budgets', budgets, '--no-color'], false],
        ['report --json', ['report', profile, '--budgets', budgets, '--json'], false],
        ['compare', ['compare', profile, profile], false],
        ['export markdown', ['export', '--format', 'markdown', profile], false],
        ['export prometheus', ['export', '--format', 'prometheus', profile], false],
        ['export chrome', ['export', '--format', 'chrome', profile], false],
      ];
      for (const [where, args] of runs) {
        const r = await cli.run(args);
        assert.equal(r.code, 0, `${where}: ${r.stderr}`);
        assertClean(r.stdout, `${where} stdout`);
        assertClean(r.stderr, `${where} stderr`);
        assert.ok(!hasStackTrace(r.stderr), r.stderr);
      }
      const text = (await cli.run(['report', profile, '--budgets', budgets])).stdout;
      assert.ok(text.includes('llmA\\x1b]0;pwned-title\\x07'), 'shown escaped, readable');
      // The budgets file's problems on stderr name the evil key escaped.
      const stderr = (await cli.run(['report', profile, '--budgets', budgets])).stderr;
      assert.ok(stderr.includes('unknown key "kA\\x1b]0;pwned-title\\x07'), stderr);
    });

    it('with colour forced, only the report’s own colour sequences are raw', async () => {
      const r = await cli.runWithEnv(['report', profile, '--budgets', budgets], { FORCE_COLOR: '1', NO_COLOR: undefined });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(OWN_SGR.test(r.stdout), 'coloured');
      assertClean(r.stdout, 'colour stdout', true);
    });

    it('a file name and an unknown command with controls are escaped in messages', async () => {
      const evilName = path.join(tmp, `x\x1b]0;t\x07\n.agentprof.jsonl`);
      const r = await cli.run(['report', evilName]);
      assert.equal(r.code, 2);
      assertClean(r.stderr, 'missing file message');
      const u = await cli.run([`re\x1b[2Jport`]);
      assert.equal(u.code, 2);
      assertClean(u.stderr.split('\n')[0], 'unknown command');
    });

    it('report | head: EPIPE ends the CLI quietly with exit code 0', async () => {
      const child = spawn(process.execPath, [cli.script, 'report', profile], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
      child.stdout.destroy(); // the reader is gone before the report is written
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, stderr);
      assert.ok(!hasStackTrace(stderr) && !/EPIPE/.test(stderr), stderr);
    });
  });
});
