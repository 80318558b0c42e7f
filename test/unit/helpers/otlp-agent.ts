/** Runs the real-OTel-SDK Node agent fixture and reads what a receiver wrote. */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const AGENT = path.join(ROOT, 'test', 'fixtures', 'otel-agent', 'agent.js');

/** Spans the agent makes for `calls` steps: the root, then an llm and a tool span per step. */
export const spansFor = (calls: number): number => 1 + 2 * calls;

/** Runs the agent with only OTEL_* variables (SDK defaults otherwise); resolves with its exit code and stderr. */
export function runOtelAgent(kind: 'http' | 'proto' | 'grpc', calls: number, otelEnv: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, AGENT_NODE_MODULES: path.join(ROOT, 'node_modules'), OTEL_BSP_SCHEDULE_DELAY: '50', ...otelEnv };
  const child = spawn(process.execPath, [AGENT, kind, String(calls)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => child.on('close', (code) => (clearTimeout(timer), resolve({ code, stderr }))));
}

/** Every span of every `*.otlp.jsonl` line under `dir`: id → {name, attributes as key → JSON value}. */
export function writtenSpans(dir: string): { ids: string[]; byId: Map<string, { name: string; attrs: Record<string, unknown> }>; files: string[]; lines: number } {
  const ids: string[] = [];
  const byId = new Map<string, { name: string; attrs: Record<string, unknown> }>();
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.otlp.jsonl')) : [];
  let lines = 0;
  for (const f of files) {
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      if (!line) continue;
      lines++;
      const doc = JSON.parse(line) as { resourceSpans: { scopeSpans: { spans: { spanId: string; name: string; attributes?: { key: string; value: unknown }[] }[] }[] }[] };
      for (const rs of doc.resourceSpans)
        for (const ss of rs.scopeSpans)
          for (const s of ss.spans) {
            ids.push(s.spanId);
            byId.set(s.spanId, { name: s.name, attrs: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, a.value])) });
          }
    }
  }
  return { ids, byId, files, lines };
}
