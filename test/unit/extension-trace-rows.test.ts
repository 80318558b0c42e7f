import { strict as assert } from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../src/core/analyze';
import { PriceBook } from '../../src/core/prices';
import { parseOtlp } from '../../src/ingest/otlp';
import { runsOfFile, shownRun } from '../../src/io/otlp-tail';
import { traceRows } from '../../src/extension/trace-rows';
import { traceSection } from '../../src/extension/tree-traces';
import type { RunResult } from '../../src/extension/worker-protocol';

const MASTRA = path.join(__dirname, '../realworld/traces/mastra.otlp.json');

describe('Runs view: every trace of a file', () => {
  it('lists each trace of a file with several, with the file total; none for a file with one', () => {
    const runs = parseOtlp(fs.readFileSync(MASTRA, 'utf8'));
    const shown = shownRun(runs, 0, 0, Infinity);
    assert.equal(runsOfFile(shown)?.length, 2);
    const prices = new PriceBook();
    const rows = traceRows(shown, analyze(shown, { prices }), prices)!;
    // The measured run (18 spans, 3 LLM calls with usage) and the reviewer's failing one (4 spans,
    // 1 LLM call without usage, 1 error span).
    assert.deepEqual(
      rows.map((r) => [r.name, r.spans, r.llmCalls, r.covered, r.errors, r.shown]),
      [
        ['mastra-trip-agent: invoke_agent trip-agent', 18, 3, 3, 0, true],
        ['mastra-trip-agent: invoke_agent reviewer', 4, 1, 0, 1, false],
      ],
    );
    const [section] = traceSection({ file: 'f', traces: rows } as unknown as RunResult, 'f/s');
    assert.equal(section.label, 'Traces in this file (2)');
    const children = section.children!();
    assert.deepEqual(children.map((c) => c.label), ['mastra-trip-agent: invoke_agent trip-agent', 'mastra-trip-agent: invoke_agent reviewer', 'Total']);
    assert.match(children[2].description!, /^2 runs · 22 spans · 4 LLM calls · 5,198 tokens · \$0\.\d+ · 1 errors$/);
    const single = parseOtlp(fs.readFileSync(path.join(__dirname, '../realworld/traces/ai-sdk.otlp.json'), 'utf8'));
    const one = shownRun(single, 0, 0, Infinity);
    assert.equal(traceRows(one, analyze(one), prices), undefined);
  });
});
