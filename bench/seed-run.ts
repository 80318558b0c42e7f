/**
 * A run named the way the seed chapter's `profiled_agent_run()` names it, as OTLP/JSON: `agent_run` >
 * `input_processing`, `llm:planning`, STEPS × (`step_<i>:execution` > `step_<i>:llm_call`,
 * `step_<i>:tool_call`), `response_generation` — 3 × STEPS + 4 spans and as many distinct names as
 * steps. The high-cardinality case of the benchmark (issue: real naming broke the report), written
 * in the Collector file-exporter form (one export request per line, 512 spans a request).
 *
 * Deterministic without a PRNG: durations follow the step number, models go round gpt-4o, gpt-4,
 * claude-3-sonnet as the chapter's do.
 *
 *   node --import tsx bench/seed-run.ts STEPS OUT.otlp.jsonl
 */
import * as fs from 'node:fs';

const START_EPOCH_NS = 1763900000000000000n;
const TRACE_ID = '5eedc4a97e5eedc4a97e5eedc4a97e00';
const BATCH = 512;
const MS = 1_000_000;
const MODELS = [
  ['gpt-4o', 'openai'],
  ['gpt-4', 'openai'],
  ['claude-3-sonnet', 'anthropic'],
] as const;

const hex16 = (id: number) => id.toString(16).padStart(16, '0');
const nanos = (t: number) => (START_EPOCH_NS + BigInt(t)).toString();
const str = (key: string, value: string) => `{"key":"${key}","value":{"stringValue":"${value}"}}`;
const int = (key: string, value: number) => `{"key":"${key}","value":{"intValue":"${value}"}}`;

function span(id: number, parent: number, name: string, start: number, end: number, attrs: string[] = []): string {
  const p = parent ? `,"parentSpanId":"${hex16(parent)}"` : '';
  return (
    `{"traceId":"${TRACE_ID}","spanId":"${hex16(id)}"${p},"name":"${name}","kind":1,` +
    `"startTimeUnixNano":"${nanos(start)}","endTimeUnixNano":"${nanos(end)}","attributes":[${attrs.join(',')}]}`
  );
}

/** Writes the run of `steps` steps to `out`; returns the number of spans written. */
export function writeSeedRun(steps: number, out: string): number {
  const fd = fs.openSync(out, 'w');
  let batch: string[] = [];
  let pending: string[] = [];
  let pendingChars = 0;
  let count = 0;
  const flushLines = () => {
    if (pending.length) fs.writeSync(fd, pending.join(''));
    pending = [];
    pendingChars = 0;
  };
  const push = (s: string) => {
    batch.push(s);
    count++;
    if (batch.length === BATCH) {
      const line = `{"resourceSpans":[{"resource":{"attributes":[${str('service.name', 'seed-agent')}]},"scopeSpans":[{"scope":{"name":"seed"},"spans":[${batch.join(',')}]}]}]}\n`;
      pending.push(line);
      pendingChars += line.length;
      batch = [];
      if (pendingChars > 1 << 20) flushLines();
    }
  };
  const ROOT = 1;
  let id = 2;
  let t = 0;
  push(span(id++, ROOT, 'input_processing', t, (t += 5 * MS)));
  push(span(id++, ROOT, 'llm:planning', t, (t += 400 * MS), [str('gen_ai.request.model', 'gpt-4o'), int('gen_ai.usage.input_tokens', 900), int('gen_ai.usage.output_tokens', 200)]));
  for (let i = 1; i <= steps; i++) {
    const exec = id++;
    const start = t;
    const [model, provider] = MODELS[i % 3];
    const llmMs = 100 + (i % 7) * 30;
    const toolMs = 20 + (i % 5) * 15;
    push(
      span(id++, exec, `step_${i}:llm_call`, t, (t += llmMs * MS), [
        str('gen_ai.operation.name', 'chat'),
        str('gen_ai.request.model', model),
        str('gen_ai.provider.name', provider),
        int('gen_ai.usage.input_tokens', 500 + (i % 11) * 40),
        int('gen_ai.usage.output_tokens', 80 + (i % 13) * 10),
      ]),
    );
    push(span(id++, exec, `step_${i}:tool_call`, t, (t += toolMs * MS), [str('gen_ai.operation.name', 'execute_tool'), str('gen_ai.tool.name', 'tool_call')]));
    push(span(exec, ROOT, `step_${i}:execution`, start, (t += 1 * MS)));
  }
  push(span(id++, ROOT, 'response_generation', t, (t += 300 * MS)));
  push(span(ROOT, 0, 'agent_run', 0, (t += MS)));
  if (batch.length) {
    pending.push(`{"resourceSpans":[{"resource":{"attributes":[${str('service.name', 'seed-agent')}]},"scopeSpans":[{"scope":{"name":"seed"},"spans":[${batch.join(',')}]}]}]}\n`);
  }
  flushLines();
  fs.closeSync(fd);
  return count;
}

if (require.main === module) {
  const [steps, out] = process.argv.slice(2);
  if (!steps || !out) {
    process.stderr.write('usage: seed-run.ts STEPS OUT\n');
    process.exit(2);
  }
  process.stdout.write(`${writeSeedRun(Number(steps), out)} spans\n`);
}
