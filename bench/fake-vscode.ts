/**
 * A minimal stand-in for the `vscode` module, enough for `activate()` of dist/extension.js to run
 * in plain Node: the parts activation reads are real (configuration defaults, workspace folders,
 * event emitters, disposables, URIs); everything else is a catch-all that accepts any call and
 * returns a disposable-like object. Installed by resolving `vscode` to a module in the require
 * cache (the bundle keeps `vscode` external, as VS Code provides it).
 */
import * as fs from 'node:fs';
import Module = require('node:module');
import * as path from 'node:path';

/** What the activation benchmark reads back after activate(). */
export interface FakeVscodeLog {
  registeredCommands: string[];
  findFilesCalls: number;
  /** Tree views the extension created; hidden until the benchmark shows them. */
  treeViews?: FakeTreeView[];
}

/** A tree view that starts hidden (its sidebar closed) and that the benchmark can show. */
export interface FakeTreeView {
  readonly visible: boolean;
  /** Makes the view visible and fires `onDidChangeVisibility`, as when the user opens it. */
  show(): void;
}

/**
 * An object that accepts any property access, assignment and call; awaiting it gives undefined.
 * Each call and construction returns a fresh one, so what the extension assigns (a tree view's
 * title, a status item's text) stays on its own object.
 */
function anything(): unknown {
  const target = function () {
    /* no-op */
  };
  const assigned = new Map<PropertyKey, unknown>();
  const proxy: unknown = new Proxy(target, {
    get(_t, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'then') return undefined; // not a thenable
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => '';
      if (key === 'dispose') return () => undefined;
      const member = anything();
      assigned.set(key, member);
      return member;
    },
    set(_t, key, value) {
      assigned.set(key, value);
      return true;
    },
    apply: () => anything(),
    construct: () => anything() as object,
  });
  return proxy;
}

class Disposable {
  constructor(private readonly onDispose: () => void = () => undefined) {}
  static from(...items: Array<{ dispose(): unknown }>): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.onDispose();
  }
}

class EventEmitter<T> {
  private listeners: Array<(e: T) => void> = [];
  readonly event = (listener: (e: T) => void) => {
    this.listeners.push(listener);
    return new Disposable(() => (this.listeners = this.listeners.filter((l) => l !== listener)));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  get path(): string {
    return this.fsPath;
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, path.join(base.fsPath, ...parts));
  }
  toString(): string {
    return `file://${this.fsPath}`;
  }
}

/** A plain class anything can extend or construct (Range, CodeLens, TreeItem, …). */
function plainClass(): unknown {
  return class {
    constructor(...args: unknown[]) {
      Object.assign(this, { args });
    }
  };
}

/** The fake module; `folder` is the single workspace folder (undefined: none open). */
export function fakeVscode(folder: string | undefined, log: FakeVscodeLog): Record<string, unknown> {
  const folderUri = folder ? Uri.file(folder) : undefined;
  const workspaceFolders = folderUri ? [{ uri: folderUri, name: path.basename(folder!), index: 0 }] : undefined;
  // Settings are the defaults, except the OTLP receiver's ports: a free one (tests never bind fixed ports).
  const settings: Record<string, unknown> = { 'otlp.port': 0, 'otlp.grpcPort': 0 };
  const configuration = { get: (key: string, fallback?: unknown) => (key in settings ? settings[key] : fallback), has: () => false, inspect: () => undefined, update: async () => undefined };
  const event = () => new Disposable();
  const catchAll = (known: Record<string, unknown>) =>
    new Proxy(known, { get: (t, key) => (key in t ? t[key as string] : key === 'then' ? undefined : anything()) });
  const findFiles = async (pattern: { base?: { uri?: Uri } } | undefined) => {
    log.findFilesCalls++;
    const root = pattern?.base?.uri?.fsPath ?? folder;
    if (!root || !fs.existsSync(root)) return [];
    return fs.readdirSync(root).filter((f) => f.endsWith('.agentprof.jsonl')).map((f) => Uri.file(path.join(root, f)));
  };
  const createTreeView = () => {
    const visibility = new EventEmitter<{ visible: boolean }>();
    const state = { visible: false };
    const view = catchAll({
      get visible() {
        return state.visible;
      },
      onDidChangeVisibility: visibility.event,
      reveal: async () => undefined,
      dispose: () => visibility.dispose(),
    });
    (log.treeViews ??= []).push({
      get visible() {
        return state.visible;
      },
      show: () => {
        state.visible = true;
        visibility.fire({ visible: true });
      },
    });
    return view;
  };
  return catchAll({
    Disposable,
    EventEmitter,
    Uri,
    Range: plainClass(),
    Position: plainClass(),
    CodeLens: plainClass(),
    Hover: plainClass(),
    MarkdownString: plainClass(),
    Diagnostic: plainClass(),
    TreeItem: plainClass(),
    ThemeIcon: plainClass(),
    ThemeColor: plainClass(),
    RelativePattern: class {
      constructor(
        readonly base: unknown,
        readonly pattern: string,
      ) {}
    },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    workspace: catchAll({
      workspaceFolders,
      isTrusted: true,
      getConfiguration: () => configuration,
      getWorkspaceFolder: () => workspaceFolders?.[0],
      onDidChangeConfiguration: event,
      onDidChangeWorkspaceFolders: event,
      onDidCloseTextDocument: event,
      onDidGrantWorkspaceTrust: event,
      findFiles,
      textDocuments: [],
    }),
    window: catchAll({
      createOutputChannel: () => catchAll({ appendLine: () => undefined, append: () => undefined, show: () => undefined, dispose: () => undefined }),
      showErrorMessage: async (message: string) => {
        // Activation errors are reported this way: make them visible in the benchmark output.
        console.error(`[fake vscode] error message: ${message}`);
        return undefined;
      },
      createTreeView,
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeActiveTextEditor: event,
      onDidChangeVisibleTextEditors: event,
    }),
    commands: catchAll({
      registerCommand: (id: string) => {
        log.registeredCommands.push(id);
        return new Disposable();
      },
      executeCommand: async () => undefined,
      getCommands: async () => log.registeredCommands,
    }),
    languages: catchAll({}),
    extensions: catchAll({ getExtension: () => undefined }),
    env: catchAll({ language: 'en', appName: 'Fake Code' }),
  });
}

/** Makes `require('vscode')` return `exports` from now on. */
export function installFakeVscode(exports: Record<string, unknown>): void {
  const id = path.join(__dirname, '__fake_vscode__.js');
  const m = new Module(id);
  m.filename = id;
  m.loaded = true;
  m.exports = exports;
  require.cache[id] = m;
  const resolve = (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename;
  (Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string })._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? id : resolve.call(this, request, ...rest);
  };
}

/** A minimal ExtensionContext for `activate()`. */
export function fakeContext(extensionRoot: string, storage: string): Record<string, unknown> {
  const memento = () => {
    const values = new Map<string, unknown>();
    return { get: (k: string, d?: unknown) => (values.has(k) ? values.get(k) : d), update: async (k: string, v: unknown) => void values.set(k, v), keys: () => [...values.keys()], setKeysForSync: () => undefined };
  };
  return {
    subscriptions: [] as Array<{ dispose(): unknown }>,
    extensionPath: extensionRoot,
    extensionUri: Uri.file(extensionRoot),
    asAbsolutePath: (p: string) => path.join(extensionRoot, p),
    globalState: memento(),
    workspaceState: memento(),
    storageUri: Uri.file(storage),
    globalStorageUri: Uri.file(storage),
    logUri: Uri.file(storage),
    extensionMode: 1,
    environmentVariableCollection: anything(),
    secrets: anything(),
  };
}
