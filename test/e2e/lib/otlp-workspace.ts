// A workspace for the OTLP end-to-end test: the Node example agent with the Node recorder beside
// it, run once through the recorder's OpenTelemetry bridge into the real OpenTelemetry JS SDK
// (test/fixtures/interop/node-agent-otlp.ts). The SDK's OTLP/JSON export lands in the workspace,
// so its spans' `code.file.path` are the workspace's own agent.ts, at the lines of its timers.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { makeWorkspace } from '../harness';
import { REPO_ROOT } from './tools';

/** The Node example agent, at the same relative path in the test workspace as in the repository. */
export const NODE_AGENT = 'examples/node-agent/agent.ts';

/** Where the OTLP/JSON trace is written in the workspace. */
export const OTLP_TRACE = 'traces/node-agent.otlp.json';

const GENERATOR = path.join(REPO_ROOT, 'test', 'fixtures', 'interop', 'node-agent-otlp.ts');

/** What {@link otlpWorkspace} made. */
export interface OtlpWorkspace {
  dir: string;
  agentPath: string;
  agentSource: string;
  /** Absolute path of the OTLP/JSON trace. */
  tracePath: string;
  /** Removes the workspace and the agent's native profile. */
  dispose(): void;
}

/**
 * A temp workspace holding the Node agent and recorder, and the OTLP/JSON trace of one run of the
 * agent. The agent's native profile is kept outside the workspace, so the trace is the only
 * profile the extension finds.
 */
export function otlpWorkspace(): OtlpWorkspace {
  const files: Record<string, string> = { [NODE_AGENT]: fs.readFileSync(path.join(REPO_ROOT, NODE_AGENT), 'utf8') };
  const recorder = path.join(REPO_ROOT, 'recorders', 'node');
  for (const name of fs.readdirSync(recorder)) {
    if (name.endsWith('.ts')) files[`recorders/node/${name}`] = fs.readFileSync(path.join(recorder, name), 'utf8');
  }
  const dir = makeWorkspace(files);
  const nativeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-e2e-native-'));
  const tracePath = path.join(dir, OTLP_TRACE);
  // tsx's CLI from the repository, so the generator's OpenTelemetry imports resolve there while
  // the agent and the recorder it loads are the workspace's copies (the recorder's cwd is the workspace).
  const tsxCli = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
  const run = spawnSync(process.execPath, [tsxCli, GENERATOR, NODE_AGENT, OTLP_TRACE], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, AGENTPROF_OUT: path.join(nativeDir, 'node-agent.agentprof.jsonl') },
    timeout: 60_000,
  });
  if (run.status !== 0 || !fs.existsSync(tracePath)) {
    throw new Error(`the OTLP generator failed (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return {
    dir,
    agentPath: path.join(dir, NODE_AGENT),
    agentSource: files[NODE_AGENT],
    tracePath,
    dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(nativeDir, { recursive: true, force: true });
    },
  };
}

/**
 * Where the `timer('<name>'` or `timed('<name>'` call of a TypeScript source is: 1-based line of
 * the method name (the recorder's call site; the name may follow on the next line) and its column.
 */
export function timerCallTs(source: string, name: string): { line: number; column: number } {
  const quoted = `'${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`;
  const m = new RegExp(`\\b(?:timer|timed)\\(\\s*${quoted}`).exec(source);
  if (!m) throw new Error(`no timer('${name}') or timed('${name}') call in the source`);
  const before = source.slice(0, m.index).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string };
}
interface OtlpRequest {
  resourceSpans: Array<{
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans: Array<{ spans: Array<{ startTimeUnixNano: string; endTimeUnixNano: string }> }>;
  }>;
}

/**
 * The same trace as another service's, `shiftNs` nanoseconds later: a second, newer run to switch
 * between. Times stay decimal strings, as the SDK's serializer writes them (they need 61 bits).
 */
export function shiftedTrace(otlpJson: string, serviceName: string, shiftNs: bigint): string {
  const request = JSON.parse(otlpJson) as OtlpRequest;
  for (const rs of request.resourceSpans) {
    for (const attribute of rs.resource?.attributes ?? []) {
      if (attribute.key === 'service.name') attribute.value = { stringValue: serviceName };
    }
    for (const scope of rs.scopeSpans) {
      for (const span of scope.spans) {
        span.startTimeUnixNano = (BigInt(span.startTimeUnixNano) + shiftNs).toString();
        span.endTimeUnixNano = (BigInt(span.endTimeUnixNano) + shiftNs).toString();
      }
    }
  }
  return JSON.stringify(request, null, 2) + '\n';
}
