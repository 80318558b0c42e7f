// End-to-end harness: one real VS Code (code-server) + one headless chromium page on its
// workbench, with the given extensions installed and a folder opened. Feature tests build on
// `startVsCode()` and the `Workbench` helpers; see docs/testing.md.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, Page } from 'playwright-core';
import { launchChromium } from './lib/browser';
import { CodeServer, ExtensionSource, startCodeServer } from './lib/code-server';
import { E2eTools, loadE2eTools, RESULTS_ROOT, slug } from './lib/tools';
import { TITLE_SEPARATOR, Workbench } from './lib/workbench';

export type { ExtensionSource } from './lib/code-server';
export { DEFAULT_USER_SETTINGS, extensionFolderName } from './lib/code-server';
export type { ActiveEditor, TreeRow } from './lib/workbench';
export { Workbench } from './lib/workbench';
export { loadE2eTools, REPO_ROOT, RESULTS_ROOT, e2eCacheDir } from './lib/tools';
export { stageHarnessExtension, stageProductExtension, waitForHostReport, describeFailures } from './lib/host-tests';

/** Options of {@link startVsCode}. */
export interface VsCodeSessionOptions {
  /** Names the artifacts folder, test-results/e2e/<slug(name)>/. */
  name: string;
  /** Folder to open (absolute). */
  workspace: string;
  extensions?: ExtensionSource[];
  /** User settings merged over DEFAULT_USER_SETTINGS. */
  settings?: Record<string, unknown>;
  /** Environment for code-server and so for the extension host. */
  env?: Record<string, string>;
  /**
   * Answer to the workspace-trust prompt; default true (trusted). Ignored when `settings` turn
   * workspace trust off (then no prompt appears).
   */
  trust?: boolean;
  viewport?: { width: number; height: number };
}

/** A running code-server with a browser on its workbench. */
export interface VsCodeSession {
  readonly tools: E2eTools;
  readonly server: CodeServer;
  readonly browser: Browser;
  readonly page: Page;
  readonly workbench: Workbench;
  /** test-results/e2e/<name>/: screenshots, server.log, and on failure page.html and logs/. */
  readonly artifactsDir: string;
  /** Temp folder with user data and extensions (removed by dispose unless AGENTPROF_E2E_KEEP=1). */
  readonly stateDir: string;
  /** Browser console lines (errors and warnings) seen so far. */
  readonly consoleLines: string[];
  /** Saves screenshot, page HTML, browser console and VS Code's logs; returns the folder. */
  saveFailureArtifacts(label: string): Promise<string>;
  /** Closes the browser, stops code-server and its children, removes the temp state. */
  dispose(): Promise<void>;
}

/** Settings the helpers rely on, applied on top of the defaults and the test's own settings. */
const HELPER_SETTINGS = {
  // Workbench.activeEditor() reads the active file's absolute path from the window title.
  'window.title': '${activeEditorLong}${separator}${rootName}',
  'window.titleSeparator': TITLE_SEPARATOR,
};

/**
 * Starts code-server with the extensions, opens `workspace` in headless chromium, answers the
 * trust prompt and resolves once the workbench is up. On any failure on the way it saves what
 * it can into the artifacts folder, cleans up, and rethrows.
 */
export async function startVsCode(options: VsCodeSessionOptions): Promise<VsCodeSession> {
  const tools = loadE2eTools();
  const artifactsDir = path.join(RESULTS_ROOT, slug(options.name));
  fs.rmSync(artifactsDir, { recursive: true, force: true });
  fs.mkdirSync(artifactsDir, { recursive: true });
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-e2e-'));

  const cleanup: Array<() => Promise<unknown>> = [];
  const dispose = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
    if (process.env.AGENTPROF_E2E_KEEP !== '1') fs.rmSync(stateDir, { recursive: true, force: true });
  };

  let server: CodeServer | undefined;
  let page: Page | undefined;
  const consoleLines: string[] = [];
  const saveFailureArtifacts = async (label: string): Promise<string> => {
    const dir = path.join(artifactsDir, `failure-${slug(label)}`);
    fs.mkdirSync(dir, { recursive: true });
    if (page && !page.isClosed()) {
      await page.screenshot({ path: path.join(dir, 'screenshot.png') }).catch(() => undefined);
      const html = await page.content().catch((err) => `<!-- page.content() failed: ${err} -->`);
      fs.writeFileSync(path.join(dir, 'page.html'), html);
    }
    fs.writeFileSync(path.join(dir, 'browser-console.log'), consoleLines.join('\n'));
    if (server && fs.existsSync(server.logsDir)) {
      // exthostN/remoteexthost.log is the extension host's log; exthostN/<publisher.name>/ holds
      // each extension's output channels.
      fs.cpSync(server.logsDir, path.join(dir, 'vscode-logs'), { recursive: true });
    }
    return dir;
  };

  try {
    server = await startCodeServer({
      tools,
      stateDir,
      logFile: path.join(artifactsDir, 'server.log'),
      extensions: options.extensions,
      settings: { ...options.settings, ...HELPER_SETTINGS },
      env: options.env,
    });
    cleanup.push(() => server!.stop());
    const browser = await launchChromium({ executablePath: tools.chromium });
    cleanup.push(() => browser.close());
    page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        consoleLines.push(`[${message.type()}] ${message.text()}`);
      }
    });
    page.on('pageerror', (err) => consoleLines.push(`[pageerror] ${err.stack ?? err.message}`));
    const workbench = new Workbench(page, artifactsDir);
    await page.goto(server.folderUrl(options.workspace));
    const trustPrompt = options.settings?.['security.workspace.trust.enabled'] !== false;
    await workbench.waitForReady(trustPrompt ? (options.trust ?? true) : 'no-prompt');
    return {
      tools,
      server,
      browser,
      page,
      workbench,
      artifactsDir,
      stateDir,
      consoleLines,
      saveFailureArtifacts,
      dispose,
    };
  } catch (err) {
    await saveFailureArtifacts('startup').catch(() => undefined);
    await dispose();
    throw err;
  }
}

/** Makes a fresh temp folder to open as a workspace, with the given files (path -> content). */
export function makeWorkspace(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-e2e-ws-'));
  for (const [relative, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    fs.writeFileSync(path.join(dir, relative), content);
  }
  return dir;
}
