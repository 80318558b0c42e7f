// Regenerates the corpus: starts the mock LLM, runs each scenario's agent in its own Node process
// against it, and writes `<scenario>.truth.json` beside the trace from what the mock served and
// what the agent measured (tool durations, trace ids, exported span counts) — never by reading
// the trace file.
//
//   node generate.mjs [scenario ...]      (all scenarios when none is named)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startMock } from './lib/mock-llm.mjs';
import { toolOverlap, truthFor } from './lib/truth.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// CORPUS_OUT: write elsewhere (to compare a regeneration with the committed files).
const OUT_DIR = process.env.CORPUS_OUT ? path.resolve(process.env.CORPUS_OUT) : path.join(HERE, 'traces');

/** Every scenario, in the order of the issue; `library` is the package the scenario is about. */
export const SCENARIOS = [
  { name: 'ai-sdk', library: 'ai' },
  { name: 'ai-sdk-v7', library: '@ai-sdk/otel' },
  { name: 'otel-openai', library: '@opentelemetry/instrumentation-openai' },
  { name: 'anthropic-sdk-otel', library: '@anthropic-ai/sdk' },
  { name: 'traceloop-anthropic', library: '@traceloop/node-server-sdk' },
  { name: 'traceloop-openai', library: '@traceloop/node-server-sdk' },
  { name: 'traceloop-ai-sdk', library: '@traceloop/node-server-sdk' },
  { name: 'openinference-openai', library: '@arizeai/openinference-instrumentation-openai' },
  { name: 'openinference-langchain', library: '@arizeai/openinference-instrumentation-langchain' },
  { name: 'openai-agents', library: '@arizeai/openinference-instrumentation-openai-agents' },
  { name: 'mastra', library: '@mastra/otel-exporter' },
];

function runAgent(name, mockUrl) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(path.join(HERE, 'lib', 'offline-guard.mjs')).href, path.join(HERE, 'scenarios', `${name}.mjs`)], {
      cwd: HERE,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        MOCK_URL: mockUrl,
        OUT_DIR,
        SCENARIO: name,
        NET_GUARD_LOG: path.join(OUT_DIR, `${name}.net.tmp`),
        OPENAI_BASE_URL: `${mockUrl}/v1`,
        OPENAI_API_KEY: 'sk-mock-not-a-key',
        ANTHROPIC_BASE_URL: mockUrl,
        ANTHROPIC_API_KEY: 'sk-ant-mock-not-a-key',
        // Keep libraries from phoning home (telemetry of their own, update checks).
        TRACELOOP_TELEMETRY: 'false',
        MASTRA_TELEMETRY_DISABLED: '1',
        OPENAI_AGENTS_DISABLE_TRACING: '0',
        NO_UPDATE_NOTIFIER: '1',
        // SDKs that detect resources themselves (Traceloop's NodeSDK) would write this machine's
        // host id, user and paths into committed files: only the environment detector.
        OTEL_NODE_RESOURCE_DETECTORS: 'env',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function main() {
  const wanted = process.argv.slice(2);
  const list = wanted.length ? SCENARIOS.filter((s) => wanted.includes(s.name)) : SCENARIOS;
  if (wanted.length && list.length !== wanted.length) throw new Error(`unknown scenario in ${wanted.join(', ')}`);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const mock = await startMock();
  const failures = [];
  try {
    for (const scenario of list) {
      const tmp = path.join(OUT_DIR, `${scenario.name}.report.tmp.json`);
      // A failed scenario leaves nothing behind, so a stale trace never passes for a fresh one.
      for (const f of [tmp, path.join(OUT_DIR, `${scenario.name}.net.tmp`), ...['otlp.json', 'truth.json', 'http.json', 'http.pb'].map((x) => path.join(OUT_DIR, `${scenario.name}.${x}`))]) fs.rmSync(f, { force: true });
      const t0 = Date.now();
      const { code, signal } = await runAgent(scenario.name, mock.url);
      const served = mock.served();
      if (code !== 0 || !fs.existsSync(tmp)) {
        failures.push(`${scenario.name}: agent exited ${code ?? signal}`);
        continue;
      }
      const agent = JSON.parse(fs.readFileSync(tmp, 'utf8'));
      const netLog = path.join(OUT_DIR, `${scenario.name}.net.tmp`);
      if (fs.existsSync(netLog)) {
        const refused = [...new Set(fs.readFileSync(netLog, 'utf8').split('\n').filter(Boolean))];
        agent.notes.push(`The library tried to reach the network and was refused (the corpus is made offline): ${refused.join(', ')}.`);
        fs.rmSync(netLog);
      }
      fs.rmSync(tmp);
      const unexpected = served.filter((c) => c.unexpected || c.unplanned);
      const claimed = Math.max(0, ...agent.traces.map((t) => t.calls[1]));
      if (unexpected.length || claimed !== served.length) {
        failures.push(`${scenario.name}: served ${served.length} calls, the agent's traces claim ${claimed}; unexpected: ${JSON.stringify(unexpected)}`);
        continue;
      }
      if (agent.total_spans === 0 || agent.traces.some((t) => t.span_count === 0)) {
        failures.push(`${scenario.name}: no spans exported for ${agent.traces.filter((t) => t.span_count === 0).map((t) => t.label).join('; ') || 'the run'}`);
        continue;
      }
      const overlap = toolOverlap(agent.tools);
      if (overlap) {
        failures.push(`${scenario.name}: ${overlap}`);
        continue;
      }
      const truth = truthFor(scenario, agent, served, path.join(OUT_DIR, `${scenario.name}.otlp.json`));
      fs.writeFileSync(path.join(OUT_DIR, `${scenario.name}.truth.json`), JSON.stringify(truth, null, 2) + '\n');
      console.log(`${scenario.name}: ${truth.span_count} spans, ${served.length} LLM calls, ${agent.tools.length} tools (${Date.now() - t0} ms)`);
    }
  } finally {
    await mock.close();
  }
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exitCode = 1;
  }
}

await main();
