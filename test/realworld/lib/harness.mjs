// What every scenario's agent process shares: the mock's address, the plan upload, the three
// tools with their measured durations, the OTLP/JSON writer and the report the generator turns
// into ground truth. Runs inside the agent's process; the mock runs in the generator's.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';

export const MOCK_URL = process.env.MOCK_URL ?? '';
export const OUT_DIR = process.env.OUT_DIR ?? '';
export const SCENARIO = process.env.SCENARIO ?? '';
if (!MOCK_URL || !OUT_DIR || !SCENARIO) throw new Error('run through generate.mjs (MOCK_URL, OUT_DIR, SCENARIO)');

/** Uploads the steps the mock serves, in order, over plain node:http (never instrumented). */
export function setPlan(steps) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${MOCK_URL}/_mock/plan`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`plan upload: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(steps));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The three tools of every scenario: which is slow, fast or sequential is part of the truth. */
export const TOOLS = {
  search_flights: { role: 'slow', plannedMs: 300, description: 'Search flights between two cities (slow).' },
  get_weather: { role: 'fast', plannedMs: 50, description: 'Current weather in a city (fast).' },
  book_hotel: { role: 'sequential', plannedMs: 120, description: 'Book a hotel once flights and weather are known.' },
};
export const SLOW = 'search_flights';
export const FAST = 'get_weather';
export const SEQUENTIAL = 'book_hotel';

const toolLog = [];

/** Runs a tool's body (a timed sleep) and records its measured duration. */
export async function runTool(name, args = {}) {
  const spec = TOOLS[name];
  if (!spec) throw new Error(`unknown tool ${name}`);
  const t0 = performance.now();
  const startEpochMs = Date.now();
  await sleep(spec.plannedMs);
  const ms = performance.now() - t0;
  toolLog.push({ name, role: spec.role, planned_ms: spec.plannedMs, measured_ms: Math.round(ms * 10) / 10, start_epoch_ms: startEpochMs, end_epoch_ms: Date.now() });
  if (name === 'search_flights') return { flights: [{ id: 'LH123', from: args.from ?? 'BER', to: args.to ?? 'LIS', price: 189 }] };
  if (name === 'get_weather') return { city: args.city ?? 'Lisbon', tempC: 21, sky: 'clear' };
  return { confirmation: 'HTL-7781', hotel: 'Casa Azul', nights: args.nights ?? 2 };
}

export const PROMPT = 'Plan a two-night trip from Berlin to Lisbon: find flights, check the weather, then book a hotel.';

/** Usage per planned call, varied so no two calls have the same figures. */
export const USAGE = {
  openai: [
    { input: 1412, output: 58, cacheRead: 1024, reasoning: 0 },
    { input: 1688, output: 41, cacheRead: 1280, reasoning: 0 },
    { input: 1903, output: 96, cacheRead: 1536, reasoning: 0 },
    { input: 2150, output: 133, cacheRead: 1792, reasoning: 0 },
  ],
  openaiReasoning: { input: 2310, output: 412, cacheRead: 2048, reasoning: 256 },
  anthropic: [
    { input: 312, output: 71, cacheRead: 2048, cacheWrite: 1536 },
    { input: 405, output: 44, cacheRead: 3584, cacheWrite: 0 },
    { input: 517, output: 118, cacheRead: 3584, cacheWrite: 256 },
    { input: 620, output: 150, cacheRead: 3840, cacheWrite: 0 },
  ],
};

/** Steps of the common tool loop: slow+fast in one turn, then the sequential tool, then text. */
export function toolLoopSteps(usage) {
  return [
    { reply: 'tools', tools: [{ name: SLOW, args: { from: 'BER', to: 'LIS' } }, { name: FAST, args: { city: 'Lisbon' } }], usage: usage[0] },
    { reply: 'tools', tools: [{ name: SEQUENTIAL, args: { city: 'Lisbon', nights: 2 } }], usage: usage[1] },
    { reply: 'text', text: 'Booked: flight LH123 on Friday, Casa Azul for two nights, sunny and 21 °C in Lisbon.', usage: usage[2] },
  ];
}

/** Writes the spans as one OTLP/JSON ExportTraceServiceRequest, as the SDK's serializer makes it. */
export function writeOtlp(spans, file = path.join(OUT_DIR, `${SCENARIO}.otlp.json`)) {
  const json = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  return file;
}

/**
 * Hands the generator what only the agent knows: which served calls belong to which trace, the
 * tools' measured durations, the exported span counts per trace, and what the instrumentation
 * leaves out. `traces`: [{ trace_id, label, calls: [first, end) indexes into the mock's log, tools: bool }].
 */
export function report({ spans, traces, missing = [], notes = [], packages }) {
  const spanCount = {};
  const errorSpans = {};
  for (const s of spans) {
    const id = s.spanContext().traceId;
    spanCount[id] = (spanCount[id] ?? 0) + 1;
    if (s.status?.code === 2) errorSpans[id] = (errorSpans[id] ?? 0) + 1;
  }
  const out = {
    packages,
    traces: traces.map((t) => ({ ...t, span_count: spanCount[t.trace_id] ?? 0, error_spans: errorSpans[t.trace_id] ?? 0 })),
    total_spans: spans.length,
    unclaimed_traces: Object.keys(spanCount).filter((id) => !traces.some((t) => t.trace_id === id)).map((id) => ({ trace_id: id, span_count: spanCount[id] })),
    tools: toolLog,
    missing,
    notes,
  };
  fs.writeFileSync(path.join(OUT_DIR, `${SCENARIO}.report.tmp.json`), JSON.stringify(out, null, 2));
}
