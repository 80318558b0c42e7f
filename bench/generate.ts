/**
 * Deterministic synthetic agent runs for the benchmarks, in the native format (docs/format.md) and
 * as OTLP/JSON (Collector file-exporter form: one export request per line, 512 spans a batch).
 *
 * Shape of a real agent: sequential steps under one root, each with a planning LLM call, three
 * parallel tool calls (two with an HTTP child), a memory look-up, a vector search with an
 * embedding call, an answer and a reflection LLM call and a textbook-style `step_{i}:tool_call`;
 * every tenth step runs a sub-agent one level deeper. A third of the spans carry token usage,
 * over six models (one unpriced). About 0.5 % of tool calls fail; a few HTTP calls never end and
 * the last step is still open (a live run, no `end` record). Call sites are 200 timer calls of
 * `agent.py`, which is generated too (5 000 lines) for the code-lens benchmark.
 *
 * Same seed, same bytes: a mulberry32 PRNG (test/fixtures/prng.ts, shared with the hostile-input
 * fixtures) drives every choice.
 */
import * as fs from 'node:fs';
import { prng } from '../test/fixtures/prng';

/** Bump when the output changes, so cached files in bench/data are regenerated. */
export const GENERATOR_VERSION = 3;
export const SEED = 0x5eed_a9e7;
export const AGENT_FILE_LINES = 5000;
export const AGENT_SITES = 200;
/** Epoch ns of the run start; 2025-11-23, inside the bundled price data. */
const START_EPOCH_NS = 1763900000000000000n;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTLP_BATCH = 512;
const MS = 1_000_000;

/** The span names written by the timers of agent.py; `step_{i}:tool_call` is an f-string site. */
const SITE_NAMES = [
  'agent:step',
  'llm:planning',
  'tool:web_search',
  'http:get',
  'tool:fetch_page',
  'tool:calculator',
  'memory:lookup',
  'retrieval:vector_search',
  'llm:answer',
  'llm:reflect',
  'step_{i}:tool_call',
  'agent:subagent',
] as const;

export interface Site {
  /** 1-based line in agent.py. */
  line: number;
  /** Name as written in the timer call (`{i}` for an f-string hole). */
  name: string;
}

/** The 200 timer call sites of agent.py: names in turn, one every 25 lines. */
export function agentSites(): Site[] {
  const sites: Site[] = [];
  for (let k = 0; k < AGENT_SITES; k++) sites.push({ line: 12 + 24 * k, name: SITE_NAMES[k % SITE_NAMES.length] });
  return sites;
}

/** agent.py: 5 000 lines of plausible Python with the 200 timer calls of {@link agentSites}. */
export function agentSource(): string {
  const sites = new Map(agentSites().map((s) => [s.line, s.name]));
  const lines: string[] = [];
  for (let line = 1; line <= AGENT_FILE_LINES; line++) {
    const name = sites.get(line);
    if (name !== undefined) {
      const literal = name.includes('{i}') ? `f"${name}"` : `"${name}"`;
      lines.push(`    with profiler.timer(${literal}, step=i):`);
      continue;
    }
    switch (line % 8) {
      case 0:
        lines.push(`def helper_${line}(state, i):`);
        break;
      case 1:
        lines.push(`    """Step helper ${line}: reads the state and returns the next action."""`);
        break;
      case 2:
        lines.push(`    result = state.get("k${line % 97}", [])  # start(...) in a comment is no timer`);
        break;
      case 3:
        lines.push(`    if len(result) > ${line % 13}:`);
        break;
      case 4:
        lines.push(`        result = [r for r in result if r.score > 0.${line % 10}]`);
        break;
      case 5:
        lines.push(`    tokens.record("llm:op_${line % 7}", 100, 20, "gpt-4o-mini")`);
        break;
      case 6:
        lines.push(`    return {"action": "search", "query": f"q{i}-${line}"}`);
        break;
      default:
        lines.push('');
    }
  }
  return lines.join('\n') + '\n';
}

interface Model {
  model: string;
  prov: string;
}
const PLANNER: Model[] = [
  { model: 'gpt-4.1', prov: 'openai' },
  { model: 'claude-haiku-4-5', prov: 'anthropic' },
];
const ANSWERER: Model[] = [
  { model: 'gpt-4o-mini', prov: 'openai' },
  { model: 'gemini-2.5-flash', prov: 'google' },
  { model: 'llama-3.1-8b-local', prov: 'ollama' },
];
const EMBEDDER: Model = { model: 'text-embedding-3-small', prov: 'openai' };

/** One generated span with everything both formats need. */
interface GenSpan {
  id: number;
  parent: number;
  name: string;
  start: number;
  /** NaN: never ends. */
  end: number;
  line: number;
  error: string | undefined;
  attrs: string | undefined;
  key: string | undefined;
  usage: { model: Model; in: number; out: number; cr: number; rs: number } | undefined;
}

/** Streams a run's spans step by step; {@link nextStep} returns the spans of one step. */
class RunGenerator {
  private readonly random: () => number;
  private readonly sitesByName = new Map<string, number[]>();
  private nextId = 2;
  private time = 1 * MS;
  private step = 0;

  constructor(seed: number) {
    this.random = prng(seed);
    for (const site of agentSites()) {
      const list = this.sitesByName.get(site.name);
      if (list) list.push(site.line);
      else this.sitesByName.set(site.name, [site.line]);
    }
  }

  root(): GenSpan {
    return { id: 1, parent: 0, name: 'agent:run', start: 0, end: NaN, line: 3, error: undefined, attrs: '{"task":"benchmark"}', key: undefined, usage: undefined };
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  private ms(lo: number, hi: number): number {
    return Math.round((lo + this.random() * (hi - lo)) * MS);
  }

  private site(name: string): number {
    const lines = this.sitesByName.get(name)!;
    return lines[Math.floor(this.random() * lines.length)];
  }

  private span(parent: number, siteName: string, name: string, start: number, duration: number): GenSpan {
    return {
      id: this.nextId++,
      parent,
      name,
      start,
      end: start + duration,
      line: this.site(siteName),
      error: undefined,
      attrs: undefined,
      key: undefined,
      usage: undefined,
    };
  }

  private llm(parent: number, name: string, start: number, models: Model[], lo: number, hi: number): GenSpan {
    const s = this.span(parent, name, name, start, this.ms(lo, hi));
    const input = this.int(400, 9000);
    const out = this.int(40, 1400);
    s.usage = { model: models[Math.floor(this.random() * models.length)], in: input, out, cr: this.random() < 0.4 ? Math.floor(input / 2) : 0, rs: 0 };
    s.key = (this.int(0, 0xffffff) + this.step * 0x1000000).toString(16);
    return s;
  }

  /** A tool call at `start`; ~0.5 % fail; web searches repeat earlier queries now and then. */
  private tool(parent: number, name: string, start: number, lo: number, hi: number, out: GenSpan[]): GenSpan {
    const t = this.span(parent, name, name, start, this.ms(lo, hi));
    const tool = name.slice(name.indexOf(':') + 1);
    const query = this.random() < 0.03 ? this.int(0, 50) : this.step * 4 + this.int(0, 3);
    t.attrs = `{"tool":"${tool}","query":"q${query}"}`;
    t.key = `k${tool}${query}`;
    if (this.random() < 0.005) t.error = 'TimeoutError: the tool did not answer in time';
    out.push(t);
    if (name !== 'tool:calculator') {
      const h = this.span(t.id, 'http:get', 'http:get', t.start + 200_000, Math.max(1, t.end - t.start - 400_000));
      if (this.random() < 0.0005) h.end = NaN; // a request that never returned
      out.push(h);
    }
    return t;
  }

  /** The spans of the next step, in start order (parents before children). */
  nextStep(): GenSpan[] {
    const out: GenSpan[] = [];
    const s = this.step;
    const step = this.span(1, 'agent:step', 'agent:step', this.time, 0);
    step.attrs = `{"step":${s}}`;
    out.push(step);
    let t = step.start + 100_000;
    const plan = this.llm(step.id, 'llm:planning', t, PLANNER, 300, 2500);
    out.push(plan);
    t = plan.end + 50_000;
    // Three tool calls at once (asyncio.gather); every tenth step a sub-agent instead of the calculator.
    let toolsEnd = t;
    for (const name of ['tool:web_search', 'tool:fetch_page']) toolsEnd = Math.max(toolsEnd, this.tool(step.id, name, t, 80, 1800, out).end);
    if (s % 10 === 9) {
      const sub = this.span(step.id, 'agent:subagent', 'agent:subagent', t, 0);
      out.push(sub);
      const subPlan = this.llm(sub.id, 'llm:planning', t + 50_000, PLANNER, 200, 900);
      out.push(subPlan);
      const search = this.tool(sub.id, 'tool:web_search', subPlan.end + 20_000, 50, 600, out);
      sub.end = search.end + 30_000;
      toolsEnd = Math.max(toolsEnd, sub.end);
    } else {
      toolsEnd = Math.max(toolsEnd, this.tool(step.id, 'tool:calculator', t, 1, 30, out).end);
    }
    t = toolsEnd + 20_000;
    const memory = this.span(step.id, 'memory:lookup', 'memory:lookup', t, this.ms(0.2, 8));
    out.push(memory);
    t = memory.end + 10_000;
    const search = this.span(step.id, 'retrieval:vector_search', 'retrieval:vector_search', t, this.ms(5, 120));
    search.usage = { model: EMBEDDER, in: this.int(20, 300), out: 0, cr: 0, rs: 0 };
    out.push(search);
    t = search.end + 10_000;
    const answer = this.llm(step.id, 'llm:answer', t, ANSWERER, 400, 4000);
    out.push(answer);
    const reflect = this.llm(step.id, 'llm:reflect', answer.end + 20_000, ANSWERER, 150, 1200);
    out.push(reflect);
    const stepTool = this.tool(step.id, 'step_{i}:tool_call', reflect.end + 20_000, 20, 400, out);
    stepTool.name = `step_${s % 40}:tool_call`;
    step.end = stepTool.end + 50_000;
    this.time = step.end + this.ms(0.1, 2);
    this.step++;
    return out;
  }
}

function nativeStart(s: GenSpan): string {
  let line = `{"t":"s","id":${s.id}`;
  if (s.parent) line += `,"p":${s.parent}`;
  line += `,"n":"${s.name}","at":${s.start},"f":"agent.py","l":${s.line},"th":"MainThread","task":"Task-${s.parent === 1 ? 1 : (s.parent % 7) + 2}"`;
  if (s.attrs) line += `,"a":${s.attrs}`;
  if (s.key) line += `,"k":"${s.key}"`;
  return line + '}';
}

function nativeUsage(s: GenSpan): string {
  const u = s.usage!;
  return (
    `{"t":"u","span":${s.id},"op":"${s.name}","model":"${u.model.model}","prov":"${u.model.prov}","in":${u.in},"out":${u.out},` +
    `"cr":${u.cr},"cw":0,"rs":${u.rs},"at":${s.end - 1000},"f":"agent.py","l":${s.line + 2}${s.key ? `,"k":"${s.key}"` : ''}}`
  );
}

function nativeEnd(s: GenSpan): string {
  return s.error ? `{"t":"e","id":${s.id},"at":${s.end},"err":"${s.error}"}` : `{"t":"e","id":${s.id},"at":${s.end}}`;
}

/** The native records of one step, in the order a recorder writes them (time order). */
function nativeLines(spans: GenSpan[], out: string[]): void {
  const events: Array<{ at: number; order: number; text: string }> = [];
  let order = 0;
  for (const s of spans) {
    events.push({ at: s.start, order: order++, text: nativeStart(s) });
    if (s.end === s.end) {
      if (s.usage) events.push({ at: s.end - 1000, order: order++, text: nativeUsage(s) });
      events.push({ at: s.end, order: order++, text: nativeEnd(s) });
    }
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const e of events) out.push(e.text);
}

const hex16 = (id: number) => id.toString(16).padStart(16, '0');
const nanos = (t: number) => (START_EPOCH_NS + BigInt(t)).toString();
const strAttr = (key: string, value: string) => `{"key":"${key}","value":{"stringValue":"${value}"}}`;
const intAttr = (key: string, value: number) => `{"key":"${key}","value":{"intValue":"${value}"}}`;

/** One ended span as OTLP/JSON, with GenAI and code attributes. */
function otlpSpan(s: GenSpan): string {
  const attrs = [strAttr('code.filepath', 'agent.py'), intAttr('code.lineno', s.line)];
  const colon = s.name.indexOf(':');
  if (s.usage) {
    const u = s.usage;
    attrs.push(
      strAttr('gen_ai.operation.name', u.out === 0 ? 'embeddings' : 'chat'),
      strAttr('gen_ai.request.model', u.model.model),
      strAttr('gen_ai.provider.name', u.model.prov),
      intAttr('gen_ai.usage.input_tokens', u.in),
      intAttr('gen_ai.usage.output_tokens', u.out),
    );
    if (u.cr) attrs.push(intAttr('gen_ai.usage.cache_read.input_tokens', u.cr));
  } else if (s.name.startsWith('tool:') || s.name.endsWith(':tool_call')) {
    attrs.push(strAttr('gen_ai.operation.name', 'execute_tool'), strAttr('gen_ai.tool.name', s.name.slice(colon + 1)));
  }
  const parent = s.parent ? `,"parentSpanId":"${hex16(s.parent)}"` : '';
  const status = s.error ? `,"status":{"code":2,"message":"${s.error}"}` : '';
  return (
    `{"traceId":"${TRACE_ID}","spanId":"${hex16(s.id)}"${parent},"name":"${s.name}","kind":1,` +
    `"startTimeUnixNano":"${nanos(s.start)}","endTimeUnixNano":"${nanos(s.end)}","attributes":[${attrs.join(',')}]${status}}`
  );
}

function otlpRequest(spans: string[]): string {
  return (
    `{"resourceSpans":[{"resource":{"attributes":[${strAttr('service.name', 'bench-agent')}]},` +
    `"scopeSpans":[{"scope":{"name":"agentprof-bench"},"spans":[${spans.join(',')}]}]}]}`
  );
}

/** Buffered line writer: one `writeSync` per ~1 MB. */
class LineWriter {
  private readonly fd: number;
  private pending: string[] = [];
  private pendingBytes = 0;
  bytes = 0;

  constructor(path: string) {
    this.fd = fs.openSync(path, 'w');
  }

  write(lines: string[]): void {
    for (const l of lines) {
      this.pending.push(l);
      this.pendingBytes += l.length + 1;
    }
    if (this.pendingBytes > 1 << 20) this.flush();
  }

  /** Bytes written so far, including what is still buffered (lines are ASCII). */
  get offset(): number {
    return this.bytes + this.pendingBytes;
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('\n') + '\n';
    fs.writeSync(this.fd, text);
    this.bytes += Buffer.byteLength(text);
    this.pending = [];
    this.pendingBytes = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }
}

export interface GeneratedRun {
  spans: number;
  nativeBytes: number;
  otlpBytes: number;
  /** Byte offsets in the native file after which the run had `marks[k]` spans (for appends). */
  marks: Array<{ spans: number; offset: number }>;
}

/**
 * Writes a run of at least `spanCount` spans (whole steps; the last step left open) to
 * `nativePath` and, when given, `otlpPath`. `markEvery` records the byte offset each time another
 * `markEvery` spans have been written, rounded to whole steps (for the incremental benchmark).
 */
export function generateRun(spanCount: number, nativePath: string, otlpPath?: string, markEvery = 0): GeneratedRun {
  const gen = new RunGenerator(SEED);
  const native = new LineWriter(nativePath);
  const otlp = otlpPath ? new LineWriter(otlpPath) : undefined;
  native.write([
    `{"t":"run","v":1,"name":"bench_agent","start":"${START_EPOCH_NS}","pid":4242,"argv":["agent.py","--bench"],"cwd":"/bench/agent","recorder":"agentprof-python/0.1.0","lang":"python"}`,
    '{"t":"b","target":"llm","tokens":50000000,"cost":25}',
    `{"t":"b","target":"agent.py:${agentSites()[2].line}","ms":60000}`,
  ]);
  const root = gen.root();
  native.write([nativeStart(root)]);
  let written = 1;
  let batch: string[] = [];
  const marks: GeneratedRun['marks'] = [];
  let nextMark = markEvery;
  const lines: string[] = [];
  let maxEnd = 0;
  while (written < spanCount) {
    const spans = gen.nextStep();
    const isLast = written + spans.length >= spanCount;
    if (isLast) {
      // A live run: the last step and its tool calls are still running.
      for (const s of spans) if (s.name === 'agent:step' || s.start > spans[0].start + 2 * MS) s.end = NaN;
    }
    lines.length = 0;
    nativeLines(spans, lines);
    native.write(lines);
    written += spans.length;
    for (const s of spans) if (s.end > maxEnd) maxEnd = s.end;
    if (markEvery > 0 && written >= nextMark) {
      marks.push({ spans: written, offset: native.offset });
      nextMark += markEvery;
    }
    if (otlp) {
      // Exporters write spans as they end: children before parents.
      for (const s of [...spans].sort((a, b) => a.end - b.end)) {
        if (s.end !== s.end) continue;
        batch.push(otlpSpan(s));
        if (batch.length === OTLP_BATCH) {
          otlp.write([otlpRequest(batch)]);
          batch = [];
        }
      }
    }
  }
  if (otlp) {
    // The OTLP form is of the finished trace: the root ends with the last span.
    batch.push(otlpSpan({ ...root, end: maxEnd + MS }));
    otlp.write([otlpRequest(batch)]);
  }
  native.close();
  otlp?.close();
  return { spans: written, nativeBytes: native.bytes, otlpBytes: otlp?.bytes ?? 0, marks };
}
