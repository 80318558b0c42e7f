/**
 * How an agent is started under our recorder: where its profile goes and what its environment
 * gains. Shared by `agentprof run` and the extension's Profile Agent Run.
 */
import * as path from 'node:path';

/** `20261123T121500Z`: sortable, filename-safe UTC time. */
export function utcStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Default profile path for a run: `<dir>/.agentprof/<UTC stamp>-<name>.agentprof.jsonl`. */
export function defaultProfilePath(dir: string, runName: string, now = new Date()): string {
  const safe = runName.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'run';
  return path.join(dir, '.agentprof', `${utcStamp(now)}-${safe}.agentprof.jsonl`);
}

/**
 * The environment of the agent: the caller's, plus `AGENTPROF_OUT` and the bundled Python
 * recorder first on `PYTHONPATH` (so `import agentprof` finds ours, not a stale copy).
 */
export function agentEnvironment(
  base: NodeJS.ProcessEnv,
  outFile: string,
  pythonRecorderDir: string,
): NodeJS.ProcessEnv {
  const existing = base.PYTHONPATH;
  return {
    ...base,
    AGENTPROF_OUT: outFile,
    PYTHONPATH: existing ? `${pythonRecorderDir}${path.delimiter}${existing}` : pythonRecorderDir,
    PYTHONUNBUFFERED: base.PYTHONUNBUFFERED ?? '1',
  };
}

/** A run name from a command line: the script's stem (`agent.py` → `agent`), else the program. */
export function runNameOf(command: string[]): string {
  const script = command.find((a, i) => i > 0 && /\.(py|js|ts|mjs|cjs)$/.test(a)) ?? command[0] ?? 'run';
  return path.basename(script).replace(/\.[^.]+$/, '');
}

/** Variables an OpenTelemetry SDK reads for where and how to export traces. */
const OTLP_TARGET_VARS = ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];

/**
 * The variables that point an OpenTelemetry SDK with default settings at our receiver: the base
 * endpoint (SDKs append `/v1/traces`), the traces endpoint itself, OTLP/HTTP protobuf (the one
 * protocol every SDK's default exporter speaks on our HTTP port), and a short batch delay so spans
 * show up while the run is going rather than every five seconds. Nothing when the user's
 * environment already names an endpoint: theirs wins, and the protocol and delay stay theirs too.
 */
export function otlpEnvironment(base: NodeJS.ProcessEnv, endpoint: string, grpcEndpoint?: string): Record<string, string> {
  if (OTLP_TARGET_VARS.some((v) => base[v])) return {};
  const protocol = base.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || base.OTEL_EXPORTER_OTLP_PROTOCOL;
  // A user who chose gRPC gets our gRPC port (no per-run path there), or nothing when it is off.
  if (protocol === 'grpc') return grpcEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: grpcEndpoint, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: grpcEndpoint } : {};
  const env: Record<string, string> = {
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${endpoint}/v1/traces`,
  };
  if (!base.OTEL_EXPORTER_OTLP_PROTOCOL && !base.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) {
    env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/protobuf';
    env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = 'http/protobuf';
  }
  if (!base.OTEL_BSP_SCHEDULE_DELAY) env.OTEL_BSP_SCHEDULE_DELAY = '500';
  return env;
}
