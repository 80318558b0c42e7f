// Starts code-server (a real VS Code server) for one test: its own user-data and extensions
// folders, a port the OS picks, the given extensions installed, deterministic user settings.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { E2eTools } from './tools';
import { GroupProcess, spawnGroup } from './process-group';

/**
 * An extension to install before the server starts: an unpacked extension folder (copied, or
 * symlinked with `mode: 'link'`, into the extensions folder as `publisher.name-version/`) or a
 * packaged `.vsix` (installed with `--install-extension`).
 */
export type ExtensionSource = { folder: string; mode?: 'copy' | 'link' } | { vsix: string };

/**
 * User settings every test starts from. They remove start-up noise that has nothing to do with
 * the extension under test (welcome page, chat panel, update checks), and make the workspace
 * trust prompt always appear so that trusting the folder is a real, explicit click.
 */
export const DEFAULT_USER_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.startupPrompt': 'always',
  // Agent Profiler's OTLP receiver on free ports: tests never bind the fixed 4318 / 4317.
  'agentProfiler.otlp.port': 0,
  'agentProfiler.otlp.grpcPort': 0,
};

/** Options of {@link startCodeServer}. */
export interface CodeServerOptions {
  tools: E2eTools;
  /** Scratch folder for this server's user data, extensions and config (created). */
  stateDir: string;
  /** File that receives the server's stdout and stderr. */
  logFile: string;
  extensions?: ExtensionSource[];
  /** Merged over {@link DEFAULT_USER_SETTINGS}. */
  settings?: Record<string, unknown>;
  /** Extra environment; the extension host inherits it (that is how the host tests get their paths). */
  env?: Record<string, string>;
  /** How long to wait for the server to answer /healthz (default 60 s). */
  startTimeoutMs?: number;
}

/** A running code-server. */
export interface CodeServer {
  /** e.g. `http://127.0.0.1:41047/` */
  readonly url: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  /** The server's stdout/stderr. */
  readonly logFile: string;
  /** VS Code's own logs (one folder per session; `exthostN/remoteexthost.log` per extension host). */
  readonly logsDir: string;
  /** URL that opens `folder` in the workbench. */
  folderUrl(folder: string): string;
  stop(): Promise<void>;
}

/** Folder name VS Code expects for an unpacked extension: `publisher.name-version`. */
export function extensionFolderName(extensionFolder: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionFolder, 'package.json'), 'utf8'));
  for (const key of ['publisher', 'name', 'version']) {
    if (typeof manifest[key] !== 'string') throw new Error(`${extensionFolder}/package.json has no "${key}"`);
  }
  return `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase();
}

/** Top-level folders of an extension source tree that never belong in an installed extension. */
const NOT_INSTALLED = new Set(['node_modules', '.git', 'test-results', '.vscode-test', 'out']);

function installExtensionFolder(folder: string, mode: 'copy' | 'link', extensionsDir: string): void {
  const target = path.join(extensionsDir, extensionFolderName(folder));
  fs.rmSync(target, { recursive: true, force: true });
  if (mode === 'link') {
    fs.symlinkSync(path.resolve(folder), target, 'dir');
    return;
  }
  const root = path.resolve(folder);
  fs.cpSync(root, target, {
    recursive: true,
    dereference: true,
    filter: (src) => path.dirname(src) !== root || !NOT_INSTALLED.has(path.basename(src)),
  });
}

/** Runs code-server's own CLI once (e.g. `--install-extension`) and waits for it. */
function runCodeServerCli(tools: E2eTools, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tools.node, [tools.codeServerEntry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/**
 * The environment for code-server: ours plus `extra`, minus variables that would make it talk to
 * an outer VS Code (when the tests run in a VS Code terminal) or load our test-time hooks.
 */
function serverEnv(configHome: string, extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'NODE_OPTIONS' || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return { ...env, XDG_CONFIG_HOME: configHome, ...extra };
}

/** Waits for the "HTTP server listening on <url>" line, then for /healthz to answer. */
async function waitUntilServing(server: GroupProcess, logFile: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  let output = '';
  let url: string | undefined;
  const onData = (chunk: Buffer): void => {
    log.write(chunk);
    output += chunk.toString();
    url ??= /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
  };
  server.child.stdout?.on('data', onData);
  server.child.stderr?.on('data', onData);
  let exitCode: number | null | undefined;
  void server.exited.then((code) => {
    exitCode = code;
    log.end();
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`code-server exited (${exitCode}) before serving; see ${logFile}`);
    if (url) {
      const healthy = await fetch(`${url}healthz`)
        .then((r) => r.ok)
        .catch(() => false);
      if (healthy) return url;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not serve within ${timeoutMs} ms; see ${logFile}`);
}

/**
 * Prepares a fresh user-data and extensions folder under `stateDir`, installs the extensions,
 * starts code-server on 127.0.0.1 with a port the OS picks and no authentication, and resolves
 * once it answers. The extension host starts only when a browser opens the workbench.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { tools, stateDir } = options;
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  const configHome = path.join(stateDir, 'config');
  for (const dir of [path.join(userDataDir, 'User'), extensionsDir, configHome]) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const settings = { ...DEFAULT_USER_SETTINGS, ...options.settings };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  // An explicit config file, so the user's ~/.config/code-server/config.yaml (password auth,
  // another port) never applies to a test server.
  const configFile = path.join(configHome, 'config.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const env = serverEnv(configHome, options.env);
  const dirs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const source of options.extensions ?? []) {
    if ('vsix' in source) {
      await runCodeServerCli(tools, [...dirs, '--config', configFile, '--force', '--install-extension', source.vsix], env);
    } else {
      installExtensionFolder(source.folder, source.mode ?? 'copy', extensionsDir);
    }
  }

  const args = [
    tools.codeServerEntry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    ...dirs,
  ];
  const server = spawnGroup(tools.node, tools.node, args, { env, cwd: stateDir });
  let url: string;
  try {
    url = await waitUntilServing(server, options.logFile, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    url,
    userDataDir,
    extensionsDir,
    logFile: options.logFile,
    logsDir: path.join(userDataDir, 'logs'),
    folderUrl: (folder) => `${url}?folder=${encodeURIComponent(path.resolve(folder))}`,
    stop: () => server.stop(),
  };
}
