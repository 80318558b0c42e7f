// Sanity of the committed real-library corpus (test/realworld/traces): every trace file parses
// with our OTLP reader, without errors, into as many runs and spans as its ground truth says the
// SDK exported. The figures themselves (tokens, costs, critical path) are asserted elsewhere.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseOtlp } from '../../src/ingest/otlp';

const DIR = path.join(__dirname, '..', 'realworld', 'traces');

interface TruthTrace {
  trace_id: string;
  span_count: number;
  llm_calls: { failed: boolean }[];
}
interface Truth {
  scenario: string;
  file: string;
  span_count: number;
  trace_count: number;
  traces: TruthTrace[];
  unclaimed_traces: { trace_id: string; span_count: number }[];
}

const truths: Truth[] = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.truth.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Truth);

describe('real-library trace corpus', () => {
  it('has a trace file for every ground truth and a ground truth for every trace file', () => {
    assert.ok(truths.length >= 1, 'no ground truth committed');
    const traces = fs.readdirSync(DIR).filter((f) => f.endsWith('.otlp.json')).sort();
    assert.deepEqual(traces, truths.map((t) => t.file).sort());
  });

  for (const truth of truths) {
    it(`${truth.scenario}: parses into the exported traces and spans`, () => {
      const runs = parseOtlp(fs.readFileSync(path.join(DIR, truth.file), 'utf8'));
      const errors = runs.flatMap((r) => r.diagnostics.filter((d) => d.severity === 'error'));
      assert.deepEqual(errors, []);
      const expected = [...truth.traces.map((t) => t.span_count), ...truth.unclaimed_traces.map((t) => t.span_count)].sort((a, b) => b - a);
      assert.equal(runs.length, truth.trace_count);
      assert.deepEqual(runs.map((r) => r.spans.length), expected);
      assert.equal(runs.reduce((n, r) => n + r.spans.length, 0), truth.span_count);
    });
  }

  for (const truth of truths.filter((t) => fs.existsSync(path.join(DIR, `${t.scenario}.http.json`)))) {
    it(`${truth.scenario}: the OTLP/HTTP JSON body holds the same spans, the protobuf body is there`, () => {
      const runs = parseOtlp(fs.readFileSync(path.join(DIR, `${truth.scenario}.http.json`), 'utf8'));
      assert.equal(runs.reduce((n, r) => n + r.spans.length, 0), truth.span_count);
      // A protobuf ExportTraceServiceRequest starts with field 1 (resource_spans), wire type 2.
      const pb = fs.readFileSync(path.join(DIR, `${truth.scenario}.http.pb`));
      assert.equal(pb[0], 0x0a);
    });
  }
});
