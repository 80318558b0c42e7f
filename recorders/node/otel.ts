/**
 * The OpenTelemetry bridge: when the application runs an OpenTelemetry SDK, every timer also
 * becomes an OpenTelemetry span, named as in the profile, with GenAI attribute names, so the same
 * instrumentation reaches a Collector, Jaeger or any tracing backend:
 *
 * - `gen_ai.operation.name` from the span's category (`llm:*` → `chat`, `tool:*` → `execute_tool`,
 *   `agent:*` → `invoke_agent`, `*embed*` → `embeddings`), `gen_ai.tool.name` / `gen_ai.agent.name`
 *   from the name's detail part;
 * - `gen_ai.request.model` from a `model` metadata value or the span's token records, and
 *   `gen_ai.usage.*` summed over the span's token records (`tokens.record` inside the timer);
 * - `code.file.path` (absolute) and `code.line.number` from the call site; the metadata's plain
 *   values under their own names; `agentprof.span_id`.
 *
 * Parents are the enclosing timers (concurrent children of `Promise.all` get the enclosing span),
 * and a timer's body runs with its span current in the OpenTelemetry context, so auto-instrumented
 * HTTP or model-client spans made inside it nest under it. Times are the profile's own, to the
 * nanosecond.
 *
 * `@opentelemetry/api` is not a dependency: pass it (and a tracer) in, or let the bridge load the
 * application's copy.
 *
 * ```ts
 * import * as api from '@opentelemetry/api';
 * import { enableOpenTelemetry } from 'agentprof';
 * enableOpenTelemetry({ api, tracer: api.trace.getTracer('my-agent') });
 * ```
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { CallSite } from './callsite';
import type { SpanNode } from './context';
import { hooks, type SpanObserver, type UsageFacts } from './observer';
import { RUN_CWD, RUN_START_EPOCH_NS } from './run';
import type { ActiveSpan } from './span';
import { warnOnce } from './warn';

/** `[seconds, nanoseconds]` since the epoch, OpenTelemetry's exact time. */
export type HrTime = [number, number];
type AttributeValue = string | number | boolean | string[] | number[] | boolean[];
type Attributes = Record<string, AttributeValue>;

/** What the bridge uses of an OpenTelemetry span. */
export interface OtelSpanLike {
  setAttributes(attributes: Attributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  addEvent(name: string, attributes?: Attributes, time?: HrTime): unknown;
  end(endTime?: HrTime): void;
}

/** What the bridge uses of an OpenTelemetry tracer. */
export interface OtelTracerLike {
  startSpan(name: string, options?: { startTime?: HrTime; attributes?: Attributes }, context?: unknown): OtelSpanLike;
}

/** What the bridge uses of `@opentelemetry/api`. */
export interface OtelApiLike {
  context: { active(): unknown; with<T>(context: unknown, fn: () => T): T };
  trace: { setSpan(context: unknown, span: OtelSpanLike): unknown; getTracer(name: string, version?: string): OtelTracerLike };
  SpanStatusCode: { ERROR: number };
}

export interface OpenTelemetryOptions {
  /** The application's `@opentelemetry/api` module; loaded with `require` when not given. */
  api?: OtelApiLike;
  /** The tracer to create spans with; default `api.trace.getTracer('agentprof')`. */
  tracer?: OtelTracerLike;
}

const RUN_START = BigInt(RUN_START_EPOCH_NS);

/** A run-relative time (ns) as an absolute OpenTelemetry time. */
export function hrTimeOf(runNs: number): HrTime {
  const ns = RUN_START + BigInt(Math.round(runNs));
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/** The GenAI operation of a category, when there is one. */
export function operationOf(category: string): string | undefined {
  const c = category.toLowerCase();
  if (c.includes('llm') || c.includes('chat') || c.includes('completion')) return 'chat';
  if (c.includes('tool')) return 'execute_tool';
  if (c.includes('embed')) return 'embeddings';
  if (c.includes('agent')) return 'invoke_agent';
  return undefined;
}

function isPrimitive(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** The values OpenTelemetry attributes can hold: primitives and arrays of one primitive type. */
function plainAttributes(source: Record<string, unknown>): Attributes {
  const out: Attributes = {};
  for (const key of Object.keys(source)) {
    const v = source[key];
    if (isPrimitive(v)) out[key] = v;
    else if (Array.isArray(v) && v.length > 0 && v.every((x) => isPrimitive(x) && typeof x === typeof v[0])) out[key] = v as AttributeValue;
  }
  return out;
}

interface Bridged {
  otel: OtelSpanLike;
  /** Token totals of the span's records, written as gen_ai.usage.* after each record. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
}

/** Turns profiler spans into OpenTelemetry spans. Never throws into the agent. */
class OpenTelemetryBridge implements SpanObserver {
  private readonly spans = new WeakMap<ActiveSpan, Bridged>();

  constructor(
    private readonly api: OtelApiLike,
    private readonly tracer: OtelTracerLike,
  ) {}

  opened(span: ActiveSpan, site: CallSite | undefined, metadata: Record<string, unknown> | undefined): void {
    try {
      const parent = span.parentSpan === undefined ? undefined : this.spans.get(span.parentSpan);
      const active = this.api.context.active();
      const context = parent ? this.api.trace.setSpan(active, parent.otel) : active;
      const otel = this.tracer.startSpan(span.name, { startTime: hrTimeOf(span.startNs), attributes: this.startAttributes(span, site, metadata) }, context);
      this.spans.set(span, { otel, input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });
    } catch (error) {
      this.failed(error);
    }
  }

  attributes(span: ActiveSpan, attributes: Record<string, unknown>): void {
    try {
      this.spans.get(span)?.otel.setAttributes(plainAttributes(attributes));
    } catch (error) {
      this.failed(error);
    }
  }

  closed(span: ActiveSpan): void {
    const bridged = this.spans.get(span);
    if (!bridged) return;
    try {
      const end = hrTimeOf(span.endNs);
      if (span.error !== undefined) {
        const colon = span.error.indexOf(': ');
        const type = colon < 0 ? span.error : span.error.slice(0, colon);
        const message = colon < 0 ? '' : span.error.slice(colon + 2);
        bridged.otel.addEvent('exception', { 'exception.type': type, 'exception.message': message }, end);
        bridged.otel.setStatus({ code: this.api.SpanStatusCode.ERROR, message: span.error });
      }
      bridged.otel.end(end);
    } catch (error) {
      this.failed(error);
    }
  }

  usage(span: SpanNode | undefined, u: UsageFacts): void {
    const bridged = span === undefined ? undefined : this.spans.get(span as ActiveSpan);
    if (!bridged) return;
    try {
      bridged.input += u.input;
      bridged.output += u.output;
      bridged.cacheRead += u.cacheRead;
      bridged.cacheWrite += u.cacheWrite;
      bridged.reasoning += u.reasoning;
      const attrs: Attributes = {
        'gen_ai.request.model': u.model,
        'gen_ai.usage.input_tokens': bridged.input,
        'gen_ai.usage.output_tokens': bridged.output,
      };
      if (u.provider !== undefined) attrs['gen_ai.provider.name'] = u.provider;
      if (bridged.cacheRead) attrs['gen_ai.usage.cache_read.input_tokens'] = bridged.cacheRead;
      if (bridged.cacheWrite) attrs['gen_ai.usage.cache_creation.input_tokens'] = bridged.cacheWrite;
      if (bridged.reasoning) attrs['gen_ai.usage.reasoning.output_tokens'] = bridged.reasoning;
      bridged.otel.setAttributes(attrs);
    } catch (error) {
      this.failed(error);
    }
  }

  within<T>(span: ActiveSpan, fn: () => T): T {
    const bridged = this.spans.get(span);
    let context: unknown;
    try {
      if (bridged) context = this.api.trace.setSpan(this.api.context.active(), bridged.otel);
    } catch (error) {
      this.failed(error);
    }
    return context === undefined ? fn() : this.api.context.with(context, fn);
  }

  private startAttributes(span: ActiveSpan, site: CallSite | undefined, metadata: Record<string, unknown> | undefined): Attributes {
    const attrs: Attributes = metadata ? plainAttributes(metadata) : {};
    const colon = span.name.indexOf(':');
    const category = colon < 0 ? span.name : span.name.slice(0, colon);
    const detail = colon < 0 ? '' : span.name.slice(colon + 1);
    const operation = operationOf(category) ?? (span.name.toLowerCase().includes('embed') ? 'embeddings' : undefined);
    if (operation) attrs['gen_ai.operation.name'] = operation;
    if (operation === 'execute_tool' && detail) attrs['gen_ai.tool.name'] = detail;
    if (operation === 'invoke_agent' && detail) attrs['gen_ai.agent.name'] = detail;
    if (typeof metadata?.model === 'string') attrs['gen_ai.request.model'] = metadata.model;
    if (site) {
      attrs['code.file.path'] = path.isAbsolute(site.file) || RUN_CWD === '' ? site.file : path.join(RUN_CWD, site.file);
      attrs['code.line.number'] = site.line;
    }
    attrs['agentprof.span_id'] = span.id;
    return attrs;
  }

  private failed(error: unknown): void {
    warnOnce('otel', `an OpenTelemetry call failed (${String((error as Error)?.message ?? error)}); the profile is unaffected`);
  }
}

/**
 * The application's `@opentelemetry/api`, if it has one: resolved from the recorder's place, then
 * from the working directory (where the application's node_modules usually are). The API keeps
 * its registered SDK in a process-wide global, so any compatible copy reaches the same tracers.
 */
function loadApi(): OtelApiLike | undefined {
  // A computed name keeps bundlers from inlining a copy into the recorder.
  const name = ['@opentelemetry', 'api'].join('/');
  const loaders = [() => require(name), () => createRequire(path.join(RUN_CWD || process.cwd(), 'index.js'))(name)];
  for (const load of loaders) {
    try {
      return load() as OtelApiLike;
    } catch {
      // not there; try the next place
    }
  }
  return undefined;
}

/**
 * Sends every timer from now on to OpenTelemetry as well. Returns false (and warns once) when no
 * `@opentelemetry/api` was given or found. Calling it again replaces the tracer.
 */
export function enableOpenTelemetry(options: OpenTelemetryOptions = {}): boolean {
  const api = options.api ?? loadApi();
  if (!api) {
    warnOnce('otel-missing', 'enableOpenTelemetry: @opentelemetry/api is not installed; timers go to the profile only');
    return false;
  }
  const tracer = options.tracer ?? api.trace.getTracer('agentprof');
  hooks.observer = new OpenTelemetryBridge(api, tracer);
  return true;
}

/** Stops sending timers to OpenTelemetry (spans already open still end there). */
export function disableOpenTelemetry(): void {
  hooks.observer = undefined;
}
