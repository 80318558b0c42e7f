// The Node recorder's OpenTelemetry bridge, tested against the real OpenTelemetry JS SDK: timers
// become SDK spans with the right parents and GenAI attributes, and the SDK's OTLP/JSON of them
// reads back through our OTLP importer into the same tree and token totals as the profile file.
import { strict as assert } from 'assert';
import { AsyncLocalStorage } from 'async_hooks';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as api from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { parseJsonl } from '../../src/ingest/jsonl';
import { parseOtlp } from '../../src/ingest/otlp';
import { PerformanceProfiler, ProfileWriter, TokenProfiler } from '../../recorders/node/index';
import { disableOpenTelemetry, enableOpenTelemetry, hrTimeOf, operationOf } from '../../recorders/node/otel';
import type { Profile } from '../../src/core/model';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const SOURCE = fs.readFileSync(__filename, 'utf8').split('\n');
/** 1-based line of this file holding `// @marker`. */
const lineOf = (marker: string) => SOURCE.findIndex((l) => l.includes(`// @${marker}`) && !l.includes('lineOf(')) + 1;

/** A context manager on AsyncLocalStorage (the SDK's own lives in a package not installed here). */
class AlsContextManager implements api.ContextManager {
  private readonly storage = new AsyncLocalStorage<api.Context>();
  active(): api.Context {
    return this.storage.getStore() ?? api.ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: api.Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(context, () => fn.apply(thisArg, args));
  }
  bind<T>(_context: api.Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

class TimeoutError extends Error {}

interface Recorded {
  spans: ReadableSpan[];
  profile: Profile;
  /** The span an "auto-instrumented" client made inside llm:plan. */
  httpSpan: ReadableSpan;
}

/**
 * An agent: agent:research → llm:plan (2 token records; an HTTP client span made inside it),
 * 3 × tool:web_search in Promise.all, llm:summarize failing with a TimeoutError.
 */
async function record(dir: string): Promise<Recorded> {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = provider.getTracer('agent-under-test');
  const manager = new AlsContextManager();
  api.context.setGlobalContextManager(manager);
  const out = path.join(dir, 'otel.agentprof.jsonl');
  const writer = new ProfileWriter({ path: out });
  const profiler = new PerformanceProfiler({ writer });
  const tokens = new TokenProfiler({ writer });
  assert.equal(enableOpenTelemetry({ api, tracer }), true);
  try {
    await profiler.timer('agent:research', async () => { // @agent
      await profiler.timer('llm:plan', async () => { // @plan
        tokens.record('llm:plan', 1200, 340, 'gpt-4o-mini', { provider: 'openai', cacheReadTokens: 800 });
        await sleep(1);
        tokens.record('llm:plan', 300, 60, 'gpt-4o-mini', { provider: 'openai', reasoningTokens: 20 });
        // What an auto-instrumented HTTP client does: a span on the active OpenTelemetry context.
        tracer.startSpan('POST /v1/chat/completions').end();
      }, { model: 'gpt-4o-mini', temperature: 0 });
      await Promise.all(['pgvector', 'qdrant', 'milvus'].map((query, i) =>
        profiler.timer('tool:web_search', async () => { // @tool
          await sleep(3 - i);
          return query;
        }, { query })));
      await profiler
        .timer('llm:summarize', async () => {
          tokens.record('llm:summarize', 2000, 500, 'claude-sonnet-4-5', { provider: 'anthropic', cacheWriteTokens: 1000 });
          throw new TimeoutError('model timed out');
        })
        .catch(() => undefined);
    });
  } finally {
    disableOpenTelemetry();
    api.context.disable();
  }
  writer.flush();
  const spans = exporter.getFinishedSpans();
  const httpSpan = spans.find((s) => s.name === 'POST /v1/chat/completions')!;
  return { spans: spans.filter((s) => s !== httpSpan), profile: parseJsonl(fs.readFileSync(out)), httpSpan };
}

describe('node recorder: OpenTelemetry bridge', () => {
  let dir: string;
  let recorded: Recorded;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentprof-otel-'));
    recorded = await record(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('maps categories to GenAI operations', () => {
    assert.deepEqual(
      ['llm', 'chat', 'tool', 'step_3_tool_call', 'agent', 'embed', 'memory', 'plan'].map(operationOf),
      ['chat', 'chat', 'execute_tool', 'execute_tool', 'invoke_agent', 'embeddings', undefined, undefined],
    );
  });

  it('emits every timer as an SDK span with the enclosing timer as parent, Promise.all included', () => {
    const { spans } = recorded;
    assert.equal(spans.length, 6);
    const byName = (n: string) => spans.filter((s) => s.name === n);
    const [agent] = byName('agent:research');
    const [plan] = byName('llm:plan');
    const tools = byName('tool:web_search');
    const [summarize] = byName('llm:summarize');
    assert.equal(agent.parentSpanContext, undefined, 'the root has no parent');
    const agentId = agent.spanContext().spanId;
    assert.equal(plan.parentSpanContext?.spanId, agentId);
    assert.equal(tools.length, 3);
    // Concurrent siblings: each parented to agent:research, none to another tool.
    assert.deepEqual(tools.map((t) => t.parentSpanContext?.spanId), [agentId, agentId, agentId]);
    assert.equal(summarize.parentSpanContext?.spanId, agentId);
    assert.ok(spans.every((s) => s.spanContext().traceId === agent.spanContext().traceId), 'one trace');
  });

  it('runs a timer body with its span current, so instrumentation inside nests under it', () => {
    const plan = recorded.spans.find((s) => s.name === 'llm:plan')!;
    assert.equal(recorded.httpSpan.parentSpanContext?.spanId, plan.spanContext().spanId);
  });

  it('writes GenAI attributes, call sites, token sums and errors', () => {
    const byName = (n: string) => recorded.spans.find((s) => s.name === n)!;
    const plan = byName('llm:plan').attributes;
    assert.equal(plan['gen_ai.operation.name'], 'chat');
    assert.equal(plan['gen_ai.request.model'], 'gpt-4o-mini');
    assert.equal(plan['gen_ai.provider.name'], 'openai');
    // Two records: input 1 200 + 300 = 1 500, output 340 + 60 = 400, cache read 800, reasoning 20.
    assert.equal(plan['gen_ai.usage.input_tokens'], 1500);
    assert.equal(plan['gen_ai.usage.output_tokens'], 400);
    assert.equal(plan['gen_ai.usage.cache_read.input_tokens'], 800);
    assert.equal(plan['gen_ai.usage.reasoning.output_tokens'], 20);
    assert.equal(plan.temperature, 0, 'plain metadata values travel as attributes');
    assert.equal(plan['code.file.path'], __filename);
    assert.equal(plan['code.line.number'], lineOf('plan'));

    const agent = byName('agent:research').attributes;
    assert.equal(agent['gen_ai.operation.name'], 'invoke_agent');
    assert.equal(agent['gen_ai.agent.name'], 'research');
    assert.equal(agent['code.line.number'], lineOf('agent'));
    const tool = recorded.spans.find((s) => s.name === 'tool:web_search' && s.attributes.query === 'qdrant')!;
    assert.equal(tool.attributes['gen_ai.operation.name'], 'execute_tool');
    assert.equal(tool.attributes['gen_ai.tool.name'], 'web_search');
    assert.equal(tool.attributes['code.line.number'], lineOf('tool'));

    const summarize = byName('llm:summarize');
    assert.equal(summarize.status.code, api.SpanStatusCode.ERROR);
    assert.equal(summarize.status.message, 'TimeoutError: model timed out');
    const exception = summarize.events.find((e) => e.name === 'exception')!;
    assert.deepEqual(exception.attributes, { 'exception.type': 'TimeoutError', 'exception.message': 'model timed out' });
    assert.equal(summarize.attributes['gen_ai.usage.cache_creation.input_tokens'], 1000);
  });

  it('gives the SDK spans the profile\'s own times, to the nanosecond', () => {
    const { spans, profile } = recorded;
    const start = BigInt(profile.run.startEpochNs);
    const ns = (t: api.HrTime) => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);
    for (const name of ['agent:research', 'llm:plan', 'llm:summarize']) {
      const ours = profile.spans.find((s) => s.name === name)!;
      const otel = spans.find((s) => s.name === name)!;
      assert.equal(ns(otel.startTime), start + BigInt(ours.start), `${name} start`);
      assert.equal(ns(otel.endTime), start + BigInt(ours.end), `${name} end`);
    }
    // hrTimeOf: 1.5 s after the run start.
    const t = hrTimeOf(1_500_000_000);
    assert.equal(ns(t), start + 1_500_000_000n);
  });

  it('round-trips through the SDK\'s OTLP/JSON into the same tree and token totals as the profile file', () => {
    const otlp = new TextDecoder().decode(JsonTraceSerializer.serializeRequest(recorded.spans));
    const [run, ...others] = parseOtlp(otlp);
    assert.equal(others.length, 0);
    const native = recorded.profile;
    assert.equal(run.spans.length, 6);
    assert.equal(native.spans.length, 6);
    // Same names, and each span's parent has the same name in both (ids differ between the two).
    const shape = (p: Profile) =>
      p.spans.map((s) => `${s.name} <- ${s.parent >= 0 ? p.spans[s.parent].name : '(root)'}`).sort();
    assert.deepEqual(shape(run), shape(native));
    assert.deepEqual(shape(run), [
      'agent:research <- (root)',
      'llm:plan <- agent:research',
      'llm:summarize <- agent:research',
      'tool:web_search <- agent:research',
      'tool:web_search <- agent:research',
      'tool:web_search <- agent:research',
    ]);
    const totals = (p: Profile) =>
      p.usage.reduce(
        (t, u) => ({ input: t.input + u.input, output: t.output + u.output, cacheRead: t.cacheRead + u.cacheRead, cacheWrite: t.cacheWrite + u.cacheWrite, reasoning: t.reasoning + u.reasoning }),
        { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 },
      );
    // input 1 200 + 300 + 2 000 = 3 500; output 340 + 60 + 500 = 900; cache read 800, write 1 000; reasoning 20.
    const expected = { input: 3500, output: 900, cacheRead: 800, cacheWrite: 1000, reasoning: 20 };
    assert.deepEqual(totals(run), expected);
    assert.deepEqual(totals(native), expected);
    const kinds = Object.fromEntries(run.spans.map((s) => [s.name, s.kind]));
    assert.deepEqual(kinds, { 'agent:research': 'agent', 'llm:plan': 'llm', 'tool:web_search': 'tool', 'llm:summarize': 'llm' });
    const failed = run.spans.find((s) => s.name === 'llm:summarize')!;
    assert.equal(failed.error, 'TimeoutError: model timed out');
  });

  it('stops sending spans after disableOpenTelemetry', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const profiler = new PerformanceProfiler({ writer: new ProfileWriter({ disabled: true }) });
    enableOpenTelemetry({ api, tracer: provider.getTracer('t') });
    profiler.timer('llm:one', () => 1);
    disableOpenTelemetry();
    profiler.timer('llm:two', () => 2);
    assert.deepEqual(exporter.getFinishedSpans().map((s) => s.name), ['llm:one']);
  });
});
