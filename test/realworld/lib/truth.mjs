// The ground truth of one scenario, from the mock's log of what it served and the agent's report
// (trace ids, tools' measured times, exported span counts). The trace file is read only to list
// what it leaves out (`missing`, `spelled_differently`), which is by definition a comparison.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// The price library the extension bundles (the repository root's copy, not one of ours).
const { calcPrice } = createRequire(path.join(ROOT, 'package.json'))('@pydantic/genai-prices');
const PRICES_VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@pydantic', 'genai-prices', 'package.json'), 'utf8')).version;

/** One served request as the truth states it. */
function llmCall(c) {
  const u = c.usage ?? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
  return {
    index: c.index,
    api: c.api,
    model_requested: c.model_requested,
    model_served: c.model_served,
    provider: c.provider,
    input_tokens: u.input,
    output_tokens: u.output,
    cache_read_tokens: u.cacheRead,
    cache_write_tokens: u.cacheWrite,
    reasoning_tokens: u.reasoning,
    // As each API defines it: OpenAI's prompt/input tokens include the cached ones; Anthropic's
    // input_tokens exclude cache reads and writes.
    input_includes_cache: c.provider === 'openai',
    failed: c.failed,
    http_status: c.status,
    streamed: c.streamed,
    usage_reported: c.usage_reported,
    tool_calls: c.tool_calls,
  };
}

function sum(calls, key) {
  return calls.reduce((n, c) => n + (c.usage_reported ? c[key] : 0), 0);
}

/** Every span of an OTLP/JSON file, flattened, with numeric attributes and times in epoch ms. */
function readSpans(file) {
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  const out = [];
  for (const rs of doc.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const numbers = [];
        for (const a of s.attributes ?? []) {
          const v = a.value?.intValue ?? a.value?.doubleValue;
          if (v !== undefined) numbers.push({ key: a.key, value: Number(v) });
        }
        out.push({ name: s.name, error: s.status?.code === 2, start: Number(BigInt(s.startTimeUnixNano) / 1_000_000n), end: Number(BigInt(s.endTimeUnixNano) / 1_000_000n), numbers });
      }
    }
  }
  return out;
}

/**
 * What the trace leaves out of what the mock served: a usage figure no span carries under a
 * token/usage attribute (matched by value: every planned figure is distinct), a failed call with
 * no failed span around it. This is the one place the generator reads the trace, because
 * "missing" is by definition a comparison; everything else in the truth comes from the mock.
 */
function audit(file, served) {
  const spans = readSpans(file);
  const usageNumbers = new Set(spans.flatMap((s) => s.numbers.filter((n) => /token|usage/i.test(n.key) && !/max/i.test(n.key)).map((n) => n.value)));
  const missing = [];
  const differently = [];
  const fields = [['input', 'input_tokens'], ['output', 'output_tokens'], ['cacheRead', 'cache_read_tokens'], ['cacheWrite', 'cache_write_tokens'], ['reasoning', 'reasoning_tokens']];
  served.forEach((c, index) => {
    if (c.failed) {
      const around = spans.some((s) => s.error && s.start <= c.started_ms + 1 && s.end >= c.ended_ms - 1);
      if (!around) missing.push({ call: index, what: 'failed_call_span', detail: 'no span with error status covers the failed request' });
      return;
    }
    if (!c.usage_reported) {
      missing.push({ call: index, what: 'usage', detail: 'the API reported no usage for this call (streamed without include_usage)' });
      return;
    }
    // Token figures on spans around this call, to say what the file has instead.
    const around = {};
    for (const s of spans) {
      if (s.start > c.started_ms + 1 || s.end < c.ended_ms - 1) continue;
      for (const n of s.numbers) if (/token|usage/i.test(n.key) && !/max/i.test(n.key)) (around[n.key] ??= []).includes(n.value) || around[n.key].push(n.value);
    }
    // Input spelled the other provider's way (Anthropic input with the cache added, as the OTel
    // GenAI convention counts it; OpenAI input without the cached part) is there, differently.
    const u = c.usage;
    const otherInput = c.provider === 'anthropic' ? u.input + u.cacheRead + u.cacheWrite : u.input - u.cacheRead;
    if (!usageNumbers.has(u.input) && otherInput !== u.input && usageNumbers.has(otherInput)) {
      differently.push({ call: index, what: 'input_tokens', value: u.input, file_value: otherInput, detail: c.provider === 'anthropic' ? 'input_tokens + cache_read + cache_write (cache included)' : 'input_tokens - cache_read (cache excluded)' });
    }
    for (const [key, name] of fields) {
      const value = c.usage[key];
      if (key === 'input' && differently.some((d) => d.call === index)) continue;
      if (value > 0 && !usageNumbers.has(value)) {
        missing.push({ call: index, what: name, value, detail: 'no token/usage attribute of any span carries this figure', ...(Object.keys(around).length ? { spans_around_carry: around } : {}) });
      }
    }
  });
  return { missing, differently };
}

/**
 * USD cost of one call with the given figures (input as the call's API reports it), priced by
 * the served (dated) model; null when the library does not know the model.
 */
function costOf(call, f) {
  if (call.failed) return 0;
  const anthropic = call.provider === 'anthropic';
  const usage = {
    // The price library counts input with the cache included, as OpenAI reports it.
    input_tokens: anthropic ? f.input_tokens + f.cache_read_tokens + f.cache_write_tokens : f.input_tokens,
    cache_read_tokens: f.cache_read_tokens,
    cache_write_tokens: f.cache_write_tokens,
    output_tokens: f.output_tokens,
  };
  const price = calcPrice(usage, call.model_served, { providerId: call.provider });
  return price ? Math.round(price.total_price * 1e10) / 1e10 : null;
}

const sumCost = (costs) => (costs.some((c) => c === null) ? null : Math.round(costs.reduce((n, c) => n + c, 0) * 1e10) / 1e10);

function visibleTotals(calls, missing) {
  const gone = (c, what) => missing.some((m) => m.call === c.index && (m.what === what || m.what === 'usage'));
  const shown = calls.filter((c) => !(c.failed && missing.some((m) => m.call === c.index && m.what === 'failed_call_span')));
  const total = (key) => shown.reduce((n, c) => n + (c.usage_reported && !gone(c, key) ? c[key] : 0), 0);
  const figure = (c, key) => (c.usage_reported && !gone(c, key) ? c[key] : 0);
  const keys = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens'];
  return {
    llm_calls: shown.length,
    failed_llm_calls: shown.filter((c) => c.failed).length,
    input_tokens: total('input_tokens'),
    output_tokens: total('output_tokens'),
    cache_read_tokens: total('cache_read_tokens'),
    cache_write_tokens: total('cache_write_tokens'),
    reasoning_tokens: total('reasoning_tokens'),
    cost_usd: sumCost(shown.map((c) => costOf(c, Object.fromEntries(keys.map((k) => [k, figure(c, k)]))))),
  };
}

/**
 * The critical-path expectation holds only if the run went as planned: the fast tool ran while
 * the slow one did (started before it ended, ended first) and the sequential tool after both.
 * Returns what went otherwise, or ''.
 */
export function toolOverlap(tools) {
  const one = (role) => tools.find((x) => x.role === role);
  const [slow, fast, seq] = [one('slow'), one('fast'), one('sequential')];
  if (!slow || !fast || !seq || tools.length !== 3) return `expected one slow, one fast and one sequential tool call, got ${tools.map((x) => x.name).join(', ')}`;
  if (!(fast.start_epoch_ms <= slow.end_epoch_ms && slow.start_epoch_ms <= fast.end_epoch_ms && fast.end_epoch_ms <= slow.end_epoch_ms)) return 'the fast tool did not run inside the slow one';
  if (seq.start_epoch_ms < slow.end_epoch_ms) return 'the sequential tool started before the slow one ended';
  return '';
}

/** `traceFile`: the scenario's OTLP/JSON file, already written. */
export function truthFor(scenario, agent, served, traceFile) {
  const audited = audit(traceFile, served);
  const traces = agent.traces.map((t) => {
    const calls = served.slice(t.calls[0], t.calls[1]).map(llmCall).map((c) => ({ ...c, cost_usd: costOf(c, c) }));
    const t0 = Math.min(...agent.tools.map((x) => x.start_epoch_ms));
    const tools = t.tools
      ? agent.tools.map((x) => ({ name: x.name, role: x.role, planned_ms: x.planned_ms, measured_ms: x.measured_ms, start_offset_ms: x.start_epoch_ms - t0, end_offset_ms: x.end_epoch_ms - t0 }))
      : [];
    const slow = tools.filter((x) => x.role === 'slow').map((x) => x.name);
    const fast = tools.filter((x) => x.role === 'fast').map((x) => x.name);
    return {
      trace_id: t.trace_id,
      label: t.label,
      span_count: t.span_count,
      llm_calls: calls,
      totals: {
        llm_calls: calls.length,
        failed_llm_calls: calls.filter((c) => c.failed).length,
        // Sums over the calls whose usage the API reported (a streamed Chat Completions call
        // without include_usage reports none).
        input_tokens: sum(calls, 'input_tokens'),
        output_tokens: sum(calls, 'output_tokens'),
        cache_read_tokens: sum(calls, 'cache_read_tokens'),
        cache_write_tokens: sum(calls, 'cache_write_tokens'),
        reasoning_tokens: sum(calls, 'reasoning_tokens'),
        cost_usd: sumCost(calls.map((c) => c.cost_usd)),
      },
      // The same sums with what the file leaves out taken away (see `missing`): a failed call
      // whose span was never exported, a figure no span carries. Figures the file has in place of
      // the served ones (an instrumentation's own estimate) are not added: see `notes`.
      visible_totals: visibleTotals(calls, audited.missing),
      tools,
      expected_errors: calls.filter((c) => c.failed).length,
      error_spans: t.error_spans,
      critical_path: tools.length ? { on: [...slow, ...tools.filter((x) => x.role === 'sequential').map((x) => x.name)], off: fast } : null,
      ...(t.note ? { note: t.note } : {}),
    };
  });
  return {
    schema: 'agentprof-realworld-truth/1',
    scenario: scenario.name,
    file: `${scenario.name}.otlp.json`,
    library: { name: scenario.library, version: agent.packages[scenario.library] },
    packages: agent.packages,
    node: process.version,
    prices: `@pydantic/genai-prices ${PRICES_VERSION}`,
    generated_at: new Date().toISOString(),
    span_count: agent.total_spans,
    trace_count: agent.traces.length + agent.unclaimed_traces.length,
    traces,
    unclaimed_traces: agent.unclaimed_traces,
    missing: [...audited.missing, ...agent.missing],
    spelled_differently: audited.differently,
    notes: agent.notes,
  };
}
