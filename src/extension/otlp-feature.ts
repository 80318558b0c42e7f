/**
 * The OTLP receiver in the editor: starts the shared receiver (src/io/otlp-receiver) on the
 * configured loopback ports, shows it in the status bar, copies its endpoint, and puts every file
 * it writes into the runs view, followed live while spans arrive. Profile Agent Run asks it for
 * the environment that points an OpenTelemetry SDK here ({@link beginOtlpRun}).
 *
 * Several windows share one machine: the first takes the port; another is told which port is
 * taken and by whom it probably is, once, and can use a free port or choose one.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatCount } from '../core/format';
import { otlpEnvironment, utcStamp } from '../io/agent-env';
import { safeNamePart } from '../io/otlp-files';
import { ReceiverStartError } from '../io/otlp-receiver';
import { COMMANDS, PREFIX, SETTINGS, STATE_KEYS } from './ids';
import { WorkerReceiver } from './otlp-worker-client';
import type { Services } from './services';

/** A file stops being followed this long after its last spans (a new request follows it again). */
const IDLE_FOLLOW_MS = 15_000;

type State =
  | { kind: 'off' }
  | { kind: 'running'; receiver: WorkerReceiver }
  | { kind: 'portInUse'; port: number }
  | { kind: 'failed'; message: string };

class OtlpFeature implements vscode.Disposable {
  private state: State = { kind: 'off' };
  private readonly item = vscode.window.createStatusBarItem(`${PREFIX}.otlp`, vscode.StatusBarAlignment.Left, 9);
  private readonly follows = new Map<string, { follow: vscode.Disposable; timer: NodeJS.Timeout }>();
  private warned = false;
  /** A port chosen for this window only ("Use a Free Port"), instead of the setting. */
  private portOverride: number | undefined;
  private starting: Promise<void> = Promise.resolve();

  constructor(private readonly services: Services) {
    this.item.name = 'Agent Profiler OTLP Receiver';
  }

  get receiver(): WorkerReceiver | undefined {
    return this.state.kind === 'running' ? this.state.receiver : undefined;
  }

  /** Where received spans are written: the first folder's `.agentprof/otlp`, else extension storage. */
  private dir(): string {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return folder ? path.join(folder, '.agentprof', 'otlp') : path.join(this.services.context.globalStorageUri.fsPath, 'otlp');
  }

  /** (Re)starts with the current settings; serialised so two restarts never overlap. */
  restart(): Promise<void> {
    this.starting = this.starting.then(() => this.doRestart());
    return this.starting;
  }

  private async doRestart(): Promise<void> {
    await this.stop();
    const { enabled, port, grpcPort } = this.services.config.current.otlp;
    if (!enabled) return this.render();
    const wanted = this.portOverride ?? port;
    let receiverRef: WorkerReceiver | undefined;
    try {
      // On its own thread: decoding a burst of spans never delays the editor.
      const receiver = await WorkerReceiver.start(
        this.services.context.asAbsolutePath(path.join('dist', 'otlp-worker.js')),
        { dir: this.dir(), port: wanted, grpcPort: grpcPort === undefined ? undefined : this.portOverride !== undefined ? 0 : grpcPort },
        {
          onNewFile: (file) => void this.onNewFile(file),
          onWritten: (file) => this.keepFollowing(file),
          onRefused: (status, reason) => this.services.log(`OTLP receiver refused a request (${status}): ${reason}`),
          onExit: (message) => {
            if (this.state.kind !== 'running' || this.state.receiver !== receiverRef) return;
            this.state = { kind: 'failed', message };
            this.services.log(`OTLP receiver stopped: ${message}`);
            this.render();
          },
        },
      );
      receiverRef = receiver;
      this.state = { kind: 'running', receiver };
      this.services.log(`OTLP receiver: ${receiver.endpoint}/v1/traces${receiver.grpcPort !== undefined ? `, gRPC 127.0.0.1:${receiver.grpcPort}` : ''}; files in ${this.dir()}`);
      if (receiver.grpcError) this.services.log(`OTLP/gRPC receiver not started: ${receiver.grpcError.message}`);
    } catch (err) {
      if (err instanceof ReceiverStartError && err.code === 'EADDRINUSE') {
        this.state = { kind: 'portInUse', port: err.port };
        this.services.log(`OTLP receiver: port ${err.port} is in use`);
        void this.warnPortInUse(err.port);
      } else {
        this.state = { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
        this.services.log(`OTLP receiver could not start: ${this.state.message}`);
      }
    }
    this.render();
  }

  private async warnPortInUse(port: number): Promise<void> {
    if (this.warned || this.services.context.globalState.get<boolean>(STATE_KEYS.otlpPortWarningDismissed)) return;
    this.warned = true;
    const free = 'Use a Free Port';
    const choose = 'Choose Port…';
    const never = "Don't Show Again";
    const choice = await vscode.window.showWarningMessage(
      `Agent Profiler: port ${port} is in use (another VS Code window or an OpenTelemetry collector has it), so this window does not receive OTLP traces there. Profile Agent Run still works: it uses a free port.`,
      free,
      choose,
      never,
    );
    if (choice === free) await this.useFreePort();
    else if (choice === choose) await this.choosePort();
    else if (choice === never) await this.services.context.globalState.update(STATE_KEYS.otlpPortWarningDismissed, true);
  }

  async useFreePort(): Promise<void> {
    this.portOverride = 0;
    await this.restart();
  }

  /** Asks for a port and saves it in the workspace settings (0: a free one each time). */
  async choosePort(): Promise<void> {
    const current = this.services.config.current.otlp.port;
    const value = await vscode.window.showInputBox({
      title: 'OTLP receiver port',
      prompt: 'Port on 127.0.0.1 for OTLP/HTTP (saved in the workspace settings). 0 picks a free port each time.',
      // A taken port suggests 0 (a free one each time) rather than guessing another number.
      value: this.state.kind === 'portInUse' ? '0' : String(current),
      validateInput: (v) => (/^\d{1,5}$/.test(v.trim()) && Number(v) <= 65535 ? undefined : 'A number from 0 to 65535'),
    });
    if (value === undefined) return;
    this.portOverride = undefined;
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration(PREFIX).update(SETTINGS.otlpPort.slice(PREFIX.length + 1), Number(value.trim()), target);
    // The configuration change restarts the receiver.
  }

  async copyEndpoint(): Promise<void> {
    const receiver = this.receiver;
    if (!receiver) {
      const pick = this.state.kind === 'portInUse' ? 'Use a Free Port' : this.state.kind === 'off' ? 'Enable' : undefined;
      const why = this.state.kind === 'portInUse' ? `port ${this.state.port} is in use` : this.state.kind === 'off' ? `${SETTINGS.otlpEnabled} is off` : 'it could not start';
      const choice = await vscode.window.showWarningMessage(`Agent Profiler: the OTLP receiver is not running (${why}).`, ...(pick ? [pick] : []));
      if (choice === 'Use a Free Port') await this.useFreePort();
      if (choice === 'Enable') await vscode.workspace.getConfiguration(PREFIX).update(SETTINGS.otlpEnabled.slice(PREFIX.length + 1), true, vscode.ConfigurationTarget.Global);
      if (!this.receiver) return;
    }
    const endpoint = this.receiver!.endpoint;
    await vscode.env.clipboard.writeText(endpoint);
    void vscode.window.showInformationMessage(`Copied ${endpoint}. Set OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint} in the agent's environment (traces go to ${endpoint}/v1/traces).`);
  }

  /** A new file: list it, and follow it live (a run's own file also becomes the active run). */
  private async onNewFile(file: string): Promise<void> {
    const isRun = [...runFiles.values()].includes(file);
    await this.services.store.add(file, { select: isRun, waiting: true });
    this.keepFollowing(file);
  }

  private keepFollowing(file: string): void {
    this.render();
    const known = this.follows.get(file);
    if (known) {
      known.timer.refresh();
      return;
    }
    if (!this.services.store.get(file)) return; // onNewFile adds it, then calls again
    const follow = this.services.store.follow(file);
    const timer = setTimeout(() => {
      this.follows.get(file)?.follow.dispose();
      this.follows.delete(file);
    }, IDLE_FOLLOW_MS);
    this.follows.set(file, { follow, timer });
  }

  /** Stops following a file now (its run ended; its last spans are already written). */
  stopFollowing(file: string): void {
    const f = this.follows.get(file);
    if (!f) return;
    clearTimeout(f.timer);
    f.follow.dispose();
    this.follows.delete(file);
  }

  private render(): void {
    const s = this.state;
    switch (s.kind) {
      case 'off':
        this.item.hide();
        return;
      case 'running': {
        const spans = s.receiver.spans;
        this.item.text = `$(radio-tower) OTLP :${s.receiver.port}${spans ? ` · ${formatCount(spans)} spans` : ''}`;
        this.item.tooltip = `Agent Profiler receives OpenTelemetry traces at ${s.receiver.endpoint}/v1/traces (OTLP/HTTP)${s.receiver.grpcPort !== undefined ? ` and 127.0.0.1:${s.receiver.grpcPort} (OTLP/gRPC)` : ''}; ${formatCount(spans)} spans received. Click to copy the endpoint.`;
        this.item.command = COMMANDS.copyOtlpEndpoint;
        break;
      }
      case 'portInUse':
        this.item.text = `$(debug-disconnect) OTLP :${s.port} in use`;
        this.item.tooltip = `Port ${s.port} is taken by another process (another VS Code window or a collector). Click to choose another port.`;
        this.item.command = COMMANDS.chooseOtlpPort;
        break;
      case 'failed':
        this.item.text = '$(error) OTLP';
        this.item.tooltip = `The OTLP receiver could not start: ${s.message}`;
        this.item.command = COMMANDS.chooseOtlpPort;
        break;
    }
    this.item.show();
  }

  private async stop(): Promise<void> {
    const running = this.receiver;
    this.state = { kind: 'off' };
    if (running) await running.close();
  }

  /** Makes sure a receiver runs for a profiled run: a taken port falls back to a free one. */
  async ensureForRun(): Promise<WorkerReceiver | undefined> {
    await this.starting;
    if (!this.services.config.current.otlp.enabled) return undefined;
    if (this.state.kind === 'portInUse') {
      this.services.log('OTLP receiver: the port is taken, so this run uses a free port');
      this.portOverride = 0;
      await this.restart();
    }
    return this.receiver;
  }

  dispose(): void {
    for (const f of this.follows.values()) {
      clearTimeout(f.timer);
      f.follow.dispose();
    }
    this.follows.clear();
    this.item.dispose();
    void this.stop();
  }
}

let feature: OtlpFeature | undefined;
/** Run id → the file its spans go to. */
const runFiles = new Map<string, string>();

/** What Profile Agent Run adds to the agent's environment, and the end of the run's route. */
export interface OtlpRun {
  env: NodeJS.ProcessEnv;
  /** The file the run's OTLP spans go to (created on the first span), or undefined without a receiver. */
  file: string | undefined;
  dispose(): void;
}

/**
 * Gives a profiled run its own endpoint (`…/runs/<id>`) and file, and the `OTEL_EXPORTER_OTLP_*`
 * variables that point an OpenTelemetry SDK there; the user's own OTLP variables win.
 */
export async function beginOtlpRun(runName: string, folder: string, env: NodeJS.ProcessEnv): Promise<OtlpRun> {
  const receiver = await feature?.ensureForRun();
  if (!receiver) return { env, file: undefined, dispose: () => undefined };
  const id = randomBytes(6).toString('hex');
  const file = path.join(folder, '.agentprof', 'otlp', `${utcStamp(new Date())}-${safeNamePart(runName)}.otlp.jsonl`);
  runFiles.set(id, file);
  receiver.addRun(id, file);
  const grpc = receiver.grpcPort !== undefined ? `http://127.0.0.1:${receiver.grpcPort}` : undefined;
  const added = otlpEnvironment(env, `${receiver.endpoint}/runs/${id}`, grpc);
  return {
    env: { ...env, ...added },
    file: added.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.includes('/runs/') ? file : undefined,
    dispose: () => {
      runFiles.delete(id);
      receiver.removeRun(id);
      feature?.stopFollowing(file);
    },
  };
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const f = new OtlpFeature(services);
  feature = f;
  let last = JSON.stringify(services.config.current.otlp);
  context.subscriptions.push(
    f,
    { dispose: () => (feature = undefined) },
    services.config.onDidChange((config) => {
      const now = JSON.stringify(config.otlp);
      if (now === last) return;
      last = now;
      void f.restart();
    }),
    vscode.commands.registerCommand(COMMANDS.copyOtlpEndpoint, () => f.copyEndpoint()),
    vscode.commands.registerCommand(COMMANDS.chooseOtlpPort, () => f.choosePort()),
  );
  void f.restart();
}
