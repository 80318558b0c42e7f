// What the end-to-end suite of Agent Profiler needs besides the workbench: the packaged .vsix, a
// workspace holding the example agent, a malformed profile, and readers for the figures the UI
// shows (durations, shares, code lens titles). Kept apart from the suite so its steps stay short.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeWorkspace } from '../harness';
import { REPO_ROOT } from './tools';

/** The example agent, at the same relative path in the test workspace as in the repository. */
export const EXAMPLE_AGENT = 'examples/research_agent/agent.py';

/** The .vsix that `npm run package` writes. */
export const PACKAGED_VSIX = path.join(REPO_ROOT, 'out', 'agent-profiler.vsix');

/**
 * The extension as users get it: `AGENTPROF_E2E_VSIX` when set (a .vsix built elsewhere), else
 * out/agent-profiler.vsix freshly built by `npm run package` (vsce, which runs the production
 * build first), so the suite never tests a stale package.
 */
export function packagedExtension(): string {
  const given = process.env.AGENTPROF_E2E_VSIX;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`AGENTPROF_E2E_VSIX=${given} does not exist`);
    return path.resolve(given);
  }
  fs.rmSync(PACKAGED_VSIX, { force: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const run = spawnSync(npm, ['run', '-s', 'package'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (run.status !== 0 || !fs.existsSync(PACKAGED_VSIX)) {
    throw new Error(`npm run package failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return PACKAGED_VSIX;
}

/** A temp workspace with a copy of the example agent; returns the folder and the agent's text. */
export function exampleWorkspace(): { dir: string; agentPath: string; agentSource: string } {
  const agentSource = fs.readFileSync(path.join(REPO_ROOT, EXAMPLE_AGENT), 'utf8');
  const dir = makeWorkspace({ [EXAMPLE_AGENT]: agentSource });
  return { dir, agentPath: path.join(dir, EXAMPLE_AGENT), agentSource };
}

/** Where a `timer("<name>"` call is in a source: 1-based line, and the column of `timer`. */
export function timerCall(source: string, name: string): { line: number; column: number } {
  const needle = `timer(${JSON.stringify(name)}`;
  const lines = source.split('\n');
  const index = lines.findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} is not in the source`);
  return { line: index + 1, column: lines[index].indexOf(needle) + 1 };
}

/** `1.53 s` → 1530, `307 ms` → 307, `0.42 ms` → 0.42, `2 m 03 s` → 123000 (core/format.ts formatMs). */
export function parseDuration(text: string): number {
  const t = text.trim();
  let m = /^(-?[\d.]+) ms$/.exec(t);
  if (m) return Number(m[1]);
  m = /^(-?[\d.]+) s$/.exec(t);
  if (m) return Number(m[1]) * 1000;
  m = /^(\d+) m (\d+) s$/.exec(t);
  if (m) return (Number(m[1]) * 60 + Number(m[2])) * 1000;
  throw new Error(`not a duration: "${text}"`);
}

/** The figures of a code lens title `3 calls · p50 1.53 s · p95 1.68 s · 55 % of run · $0.0081`. */
export interface LensFigures {
  calls: number;
  p50Ms: number;
  p95Ms: number;
  /** Share of the run's wall time, in percent as shown. */
  sharePct: number;
  /** The cost part (`$0.0081`) when shown. */
  cost: string | undefined;
  /** The duration and share parts as shown, for comparing with other views. */
  p95Text: string;
  shareText: string;
}

export function parseLens(text: string): LensFigures {
  const m = /^(\d+) calls? · p50 ([^·]+) · p95 ([^·]+) · ([\d.]+ %) of run(?: · (\$[\d.,]+))?$/.exec(text.trim());
  if (!m) throw new Error(`code lens "${text}" is not "N calls · p50 … · p95 … · N % of run[ · $…]"`);
  return {
    calls: Number(m[1]),
    p50Ms: parseDuration(m[2]),
    p95Ms: parseDuration(m[3]),
    sharePct: parseFloat(m[4]),
    cost: m[5],
    p95Text: m[3].trim(),
    shareText: m[4],
  };
}

/** A profile with a valid header and span, then three broken lines (1-based line numbers given). */
export function malformedProfile(cwd: string): { text: string; brokenLines: number[] } {
  const lines = [
    JSON.stringify({ t: 'run', v: 1, name: 'bad-run', start: `${Date.now()}000000`, cwd, recorder: 'e2e-test' }),
    JSON.stringify({ t: 's', id: 1, n: 'llm:planning', at: 0, f: EXAMPLE_AGENT, l: 3 }),
    JSON.stringify({ t: 'e', id: 1, at: 250_000_000 }),
    'this line is not JSON at all',
    '{"t":"s","id":2,"n":"tool:search","at":300000',
    JSON.stringify({ t: 's', id: 3, at: 400_000_000 }),
    JSON.stringify({ t: 'end', at: 500_000_000, status: 'ok' }),
  ];
  // Lines 4 and 5 do not parse; line 6 lacks the span name "n".
  return { text: lines.join('\n') + '\n', brokenLines: [4, 5, 6] };
}

/**
 * Copies a screenshot to docs/images/<name> when AGENTPROF_E2E_DOC_IMAGES=1: the README's images
 * are regenerated on purpose, never as a side effect of `npm test`.
 */
export function publishDocImage(screenshot: string, name: string): void {
  if (process.env.AGENTPROF_E2E_DOC_IMAGES !== '1') return;
  const dir = path.join(REPO_ROOT, 'docs', 'images');
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(screenshot, path.join(dir, name));
}

/** Polls `check` until it returns a value (not undefined/false) or `timeoutMs` passed. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}
