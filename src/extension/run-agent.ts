/**
 * Profile Agent Run: runs the agent under the bundled Python recorder and shows results live.
 * Refused in Restricted Mode (it executes workspace code). The first run of a command in a
 * workspace shows exactly what will run and waits for the user's yes. The process is spawned with
 * an argument array (no shell) in its own process group, so Cancel stops the whole tree.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatCountOf, formatMs } from '../core/format';
import { COMMANDS, CONTEXT_KEYS, SETTINGS, STATE_KEYS, VIEWS } from './ids';
import { pythonFromExtension } from './python-env';
import {
  chooseInterpreter,
  commandLineProblem,
  confirmationDetail,
  confirmationKey,
  formatCommandLine,
  planRun,
  summaryMessage,
  type AgentExit,
  type RunPlan,
  type RunTarget,
} from './run-command';
import { beginOtlpRun } from './otlp-feature';
import type { Services } from './services';
import { showWaterfall } from './waterfall-link';

/** Stops a process and its children: the process group on POSIX, `taskkill /T` on Windows. */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  if (process.platform === 'win32') {
    spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore' });
    return;
  }
  const pid = child.pid;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  // An agent that ignores SIGTERM is killed for good after a grace period.
  setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
  }, 3000).unref();
}

async function pickTarget(services: Services, arg: unknown): Promise<{ target: RunTarget; folder: vscode.WorkspaceFolder } | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const configured = services.config.current.runCommand;
  const editor = vscode.window.activeTextEditor?.document;
  const fromArg = arg instanceof vscode.Uri && arg.scheme === 'file' && arg.fsPath.endsWith('.py') ? arg : undefined;
  const activePy = editor && editor.uri.scheme === 'file' && (editor.languageId === 'python' || editor.uri.fsPath.endsWith('.py')) ? editor.uri : undefined;
  const folderOf = (uri: vscode.Uri | undefined) => (uri && vscode.workspace.getWorkspaceFolder(uri)) || folders[0];

  if (configured.length && !fromArg) {
    const folder = folderOf(editor?.uri);
    return folder ? { target: { kind: 'command', argv: configured }, folder } : undefined;
  }
  let script = fromArg ?? activePy;
  if (!script) {
    const found = await vscode.workspace.findFiles('**/*.py', '{**/node_modules/**,**/.venv/**,**/venv/**,**/site-packages/**,**/.git/**}', 200);
    const browse = { label: '$(folder-opened) Browse…', uri: undefined as vscode.Uri | undefined };
    const items = [
      ...found.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      browse,
    ];
    const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Which Python script runs the agent? (set agentProfiler.runCommand to skip this)' });
    if (!picked) return undefined;
    script = picked.uri;
    if (!script) {
      const chosen = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { Python: ['py'] }, openLabel: 'Profile' });
      script = chosen?.[0];
    }
  }
  const folder = folderOf(script);
  if (!script || !folder) return undefined;
  return { target: { kind: 'script', script: script.fsPath }, folder };
}

/** Asks before the first run of this command in this workspace; remembers a yes. */
async function confirmFirstRun(services: Services, plan: RunPlan): Promise<boolean> {
  const state = services.context.workspaceState;
  const confirmed = state.get<string[]>(STATE_KEYS.confirmedRuns, []);
  const key = confirmationKey(plan);
  if (confirmed.includes(key)) return true;
  const choice = await vscode.window.showInformationMessage('Agent Profiler will run this command:', { modal: true, detail: confirmationDetail(plan) }, 'Run');
  if (choice !== 'Run') return false;
  await state.update(STATE_KEYS.confirmedRuns, [...confirmed.slice(-49), key]);
  return true;
}

let running = false;
/** The agent being profiled, so deactivation can stop it. */
let activeChild: ChildProcess | undefined;

async function profileRun(services: Services, arg: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    const manage = 'Manage Workspace Trust';
    const choice = await vscode.window.showWarningMessage(
      'Profile Agent Run is disabled in Restricted Mode.',
      { modal: true, detail: 'It runs code from this workspace. Trust the workspace to use it; opening and analysing existing profiles works without trust.' },
      manage,
    );
    if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return;
  }
  if (running) {
    void vscode.window.showInformationMessage('Agent Profiler: a profiled run is already in progress.');
    return;
  }
  const picked = await pickTarget(services, arg);
  if (!picked) return;
  const folder = picked.folder.uri.fsPath;
  const interpreter = chooseInterpreter(await pythonFromExtension(picked.folder.uri), services.config.current.pythonPath, process.platform);
  const plan = planRun({
    target: picked.target,
    interpreter,
    folder,
    activeFile: vscode.window.activeTextEditor?.document.uri.fsPath,
    recorderDir: services.context.asAbsolutePath(path.join('recorders', 'python')),
    baseEnv: process.env,
    now: new Date(),
  });
  if (!plan.argv.length || !plan.argv[0]) {
    void vscode.window.showErrorMessage(`Agent Profiler: ${SETTINGS.runCommand} is empty.`);
    return;
  }
  const problem = commandLineProblem(plan.argv);
  if (problem) {
    void vscode.window.showErrorMessage(`Agent Profiler will not run this command: ${problem}. Check ${SETTINGS.runCommand}.`);
    return;
  }
  if (!(await confirmFirstRun(services, plan))) return;

  running = true;
  void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, true);
  let executed: Executed;
  try {
    executed = await execute(services, plan);
  } finally {
    running = false;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.running, false);
  }
  // The agent has exited: the next run may start while this one's summary is still on screen
  // (a notification waits for its buttons as long as the user leaves it open).
  await report(services, executed.reported, executed.exit);
}

/** Runs the agent to its exit; the caller reports it. */
/** How the agent ended, and the plan whose profile reports it (the OTLP file when it wrote only spans). */
interface Executed {
  exit: AgentExit;
  reported: RunPlan;
}

async function execute(services: Services, plan: RunPlan): Promise<Executed> {
  const { store, output } = services;
  await fs.promises.mkdir(path.dirname(plan.outFile), { recursive: true });
  await store.add(plan.outFile, { select: true, waiting: true });
  const follow = store.follow(plan.outFile);
  output.appendLine(`\n$ ${formatCommandLine(plan.argv)}`);
  output.appendLine(`  in ${plan.cwd}; profile: ${plan.outFile}`);
  output.show(true);

  // OpenTelemetry-instrumented agents stream to our OTLP receiver (their own OTLP settings win).
  const otlp = await beginOtlpRun(plan.runName, plan.cwd, plan.env);
  if (otlp.file) output.appendLine(`  OpenTelemetry spans: ${otlp.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} → ${otlp.file}`);
  const started = Date.now();
  const child = spawn(plan.argv[0], plan.argv.slice(1), { cwd: plan.cwd, env: otlp.env, shell: false, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
  activeChild = child;
  child.stdout?.on('data', (d: Buffer) => output.append(d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => output.append(d.toString('utf8')));
  const exited = new Promise<AgentExit>((resolve) => {
    child.on('error', (err) => resolve({ kind: 'failedToStart', message: err.message }));
    child.on('close', (code, signal) => resolve(signal ? { kind: 'signalled', signal } : { kind: 'exited', code: code ?? 0 }));
  });

  let cancelled = false;
  let exit = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Profiling ${plan.runName}`, cancellable: true },
    async (progress, token) => {
      token.onCancellationRequested(() => {
        cancelled = true;
        killTree(child);
      });
      const tick = setInterval(() => {
        const spans = (store.get(plan.outFile)?.summary?.spans ?? 0) + ((otlp.file && store.get(otlp.file)?.summary?.spans) || 0);
        progress.report({ message: `${formatMs(Date.now() - started)} · ${formatCountOf(spans, 'span')} so far` });
      }, 1000);
      try {
        return await exited;
      } finally {
        clearInterval(tick);
      }
    },
  );
  activeChild = undefined;
  if (cancelled && exit.kind !== 'failedToStart') exit = { kind: 'cancelled' };
  follow.dispose();
  otlp.dispose();
  output.appendLine(`[agent-profiler] ${exit.kind === 'exited' ? `exit code ${exit.code}` : exit.kind} after ${formatMs(Date.now() - started)}`);
  // An agent that sent OpenTelemetry spans and wrote no native profile is reported from its spans.
  const otlpOnly = otlp.file !== undefined && !fs.existsSync(plan.outFile) && fs.existsSync(otlp.file);
  if (otlpOnly) services.store.remove(plan.outFile);
  return { exit, reported: otlpOnly ? { ...plan, outFile: otlp.file! } : plan };
}

async function report(services: Services, plan: RunPlan, exit: AgentExit): Promise<void> {
  const { store } = services;
  const written = fs.existsSync(plan.outFile);
  const entry = written ? await store.analyzeNow(plan.outFile) : undefined;
  if (!written) store.remove(plan.outFile);
  const a = entry?.result?.analysis;
  const message = summaryMessage(plan.runName, exit, a?.run, a?.bottlenecks[0]);
  const ok = exit.kind === 'exited' && exit.code === 0 && a !== undefined;
  const buttons = a ? ['Show Waterfall', 'Show Details'] : exit.kind === 'failedToStart' ? ['Open Settings', 'Show Output'] : ['Show Output'];
  const choice = ok ? await vscode.window.showInformationMessage(message, ...buttons) : await vscode.window.showErrorMessage(message, ...buttons);
  switch (choice) {
    case 'Show Waterfall':
      await showWaterfall({ file: plan.outFile });
      break;
    case 'Show Details':
      await vscode.commands.executeCommand(`${VIEWS.runs}.focus`);
      break;
    case 'Open Settings':
      await vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS.pythonPath);
      break;
    case 'Show Output':
      services.output.show();
      break;
  }
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  context.subscriptions.push(
    { dispose: () => activeChild && killTree(activeChild) },
    vscode.commands.registerCommand(COMMANDS.profileRun, async (arg: unknown) => {
      try {
        await profileRun(services, arg);
      } catch (err) {
        services.reportError('Agent Profiler: Profile Agent Run failed', err);
      }
    }),
  );
}
