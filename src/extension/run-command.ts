/**
 * What Profile Agent Run will execute, as data: the argument array (never a shell string), the
 * working folder, the profile path and the environment additions. Pure, so the command line a
 * user confirms is exactly the one tests check.
 */
import * as path from 'node:path';
import type { Bottleneck, RunSummary } from '../core/analysis-types';
import { formatCount, formatMs, formatUsd } from '../core/format';
import { agentEnvironment, defaultProfilePath, runNameOf } from '../io/agent-env';
import { savingsText } from './finding-text';

export type RunTarget =
  /** `agentProfiler.runCommand`, variables not yet substituted. */
  | { kind: 'command'; argv: string[] }
  /** A Python script run with the chosen interpreter. */
  | { kind: 'script'; script: string };

export interface PlanInput {
  target: RunTarget;
  interpreter: string;
  /** The workspace folder: the working folder of the run, and where `.agentprof/` goes. */
  folder: string;
  /** The active file, for `${file}` in a run command. */
  activeFile?: string;
  /** The bundled Python recorder (`<extension>/recorders/python`). */
  recorderDir: string;
  baseEnv: NodeJS.ProcessEnv;
  now: Date;
}

export interface RunPlan {
  /** Program and arguments. */
  argv: string[];
  cwd: string;
  outFile: string;
  runName: string;
  env: NodeJS.ProcessEnv;
  /** The variables we add or change, for the confirmation dialog. */
  envAdditions: Array<{ name: string; value: string }>;
}

/** Substitutes `${python}`, `${workspaceFolder}` and `${file}` in one argument. */
export function substituteVariables(arg: string, vars: { python: string; workspaceFolder: string; file?: string }): string {
  return arg.replace(/\$\{(python|workspaceFolder|file)\}/g, (whole, name: string) => {
    if (name === 'python') return vars.python;
    if (name === 'workspaceFolder') return vars.workspaceFolder;
    return vars.file ?? whole;
  });
}

/** The interpreter: the Python extension's choice, else the setting, else the platform's default. */
export function chooseInterpreter(fromPythonExtension: string | undefined, pythonPath: string, platform: NodeJS.Platform): string {
  if (fromPythonExtension && fromPythonExtension.trim()) return fromPythonExtension;
  if (pythonPath.trim()) return pythonPath.trim();
  return platform === 'win32' ? 'python' : 'python3';
}

export function planRun(input: PlanInput): RunPlan {
  const vars = { python: input.interpreter, workspaceFolder: input.folder, file: input.activeFile };
  let argv: string[];
  if (input.target.kind === 'command') {
    argv = input.target.argv.map((a) => substituteVariables(a, vars));
  } else {
    // Relative to the working folder when inside it: call sites are then recorded relative too.
    const rel = path.relative(input.folder, input.target.script);
    argv = [input.interpreter, rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : input.target.script];
  }
  const runName = runNameOf(argv);
  const outFile = defaultProfilePath(input.folder, runName, input.now);
  const env = agentEnvironment(input.baseEnv, outFile, input.recorderDir);
  const envAdditions = ['AGENTPROF_OUT', 'PYTHONPATH', 'PYTHONUNBUFFERED']
    .filter((name) => env[name] !== input.baseEnv[name])
    .map((name) => ({ name, value: env[name] ?? '' }));
  return { argv, cwd: input.folder, outFile, runName, env, envAdditions };
}

/** Line breaks and tabs: allowed in arguments, but shown escaped so a command stays on one line. */
const LINE_BREAKS = /[\n\r\t]/;

/**
 * Characters a command we run may not hold: C0/C1 controls but line breaks and tabs, and the
 * invisible format characters (bidirectional overrides and isolates, zero-width ones) that make
 * text read differently from what it is. A confirmation dialog cannot show them faithfully.
 */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/** Why `argv` will not be run, or undefined when it may be shown and run. */
export function commandLineProblem(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const m = FORBIDDEN.exec(argv[i]);
    if (m) {
      const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
      return `argument ${i + 1} holds the invisible or control character U+${code}, which a confirmation cannot show`;
    }
  }
  return undefined;
}

/** One argument in the shell's `$'…'` form, line breaks and tabs escaped: shown on one line. */
function ansiQuoted(a: string): string {
  const body = a.replace(/[\\'\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c);
  return `$'${body}'`;
}

/**
 * A command line for display only (it is never given to a shell): arguments quoted when needed;
 * an argument with a line break or tab is shown as `$'a\nb'`, so a long run of line breaks cannot
 * push part of the command out of the dialog (issue 18).
 */
export function formatCommandLine(argv: string[]): string {
  return argv
    .map((a) => (a === '' ? "''" : /^[\w@%+=:,./-]+$/.test(a) ? a : LINE_BREAKS.test(a) ? ansiQuoted(a) : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

/** What the user agreed to run; a different command or folder asks again. */
export function confirmationKey(plan: Pick<RunPlan, 'argv' | 'cwd'>): string {
  return JSON.stringify([plan.cwd, plan.argv]);
}

/** The text of the confirmation dialog. */
export function confirmationDetail(plan: RunPlan): string {
  return [
    `Command: ${formatCommandLine(plan.argv)}`,
    `Working folder: ${formatCommandLine([plan.cwd])}`,
    'Environment additions:',
    ...plan.envAdditions.map((e) => `  ${e.name}=${e.value}`),
    '',
    'It runs as you, with your environment. Run it only if you trust this code.',
  ].join('\n');
}

/** How the agent process ended. */
export type AgentExit =
  | { kind: 'exited'; code: number }
  | { kind: 'signalled'; signal: string }
  | { kind: 'cancelled' }
  | { kind: 'failedToStart'; message: string };

/** The message shown when a profiled run ends. */
export function summaryMessage(name: string, exit: AgentExit, summary: RunSummary | undefined, top: Bottleneck | undefined): string {
  const head =
    exit.kind === 'exited' && exit.code === 0
      ? `${name} finished`
      : exit.kind === 'exited'
        ? `${name} exited with code ${exit.code}`
        : exit.kind === 'signalled'
          ? `${name} was killed by ${exit.signal}`
          : exit.kind === 'cancelled'
            ? `${name} was cancelled`
            : `${name} could not start: ${exit.message}`;
  if (exit.kind === 'failedToStart') return `${head}.`;
  if (!summary) return `${head}; it wrote no profile (does it use agentprof timers?).`;
  const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
  const parts = [`${formatMs(summary.wallMs)} wall`, formatUsd(summary.costUsd), plural(summary.spans, 'span')];
  if (summary.errors) parts.push(plural(summary.errors, 'error'));
  let text = `${head}: ${parts.join(' · ')}`;
  if (summary.exitStatus === 'error' && summary.exitError) text += `. Error: ${summary.exitError}`;
  if (top) {
    const saves = savingsText(top);
    // A component can list dozens of span names; a notification needs only its start, cut
    // between names or words (`step_3:executi…` reads as a different name).
    const component = clipAtBoundary(top.component, 80);
    text += `. Top bottleneck: ${component} (${top.kind}${saves ? `, saves ${saves}` : ''})`;
  }
  return text + '.';
}

/** `text` cut to at most `max` characters at its last `, ` or space before the limit, with `…`. */
export function clipAtBoundary(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const comma = head.lastIndexOf(', ');
  const space = head.lastIndexOf(' ');
  const at = comma > max / 3 ? comma : space > max / 3 ? space : head.length;
  return `${head.slice(0, at).replace(/[\s,:]+$/, '')}…`;
}
