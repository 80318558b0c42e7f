/**
 * Token totals through the whole path a user's file takes (parser, then analyze()): the by-operation,
 * by-model and by-site views add up to the run's totals, and the totals equal the counts written
 * in the file, with invalid counts (negative, beyond 2^53) taken as 0. tokens.test.ts checks the
 * views of computeTokens on hand-built usage; this adds the reader and analyze().
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import type { TokenStats } from '../../src/core/analysis-types';
import { analyze } from '../../src/core/analyze';
import { PriceBook } from '../../src/core/prices';
import { parseJsonl } from '../../src/ingest/jsonl';
import { randomProfile } from '../fixtures/hostile/random-profile';

const prices = new PriceBook();
/** The reader's rule for a count: an integer in [0, 2^53], else 0. */
const valid = (n: number) => (n >= 0 && n <= 2 ** 53 ? n : 0);
const sum = (rows: TokenStats[], key: 'calls' | 'input' | 'output' | 'cacheRead') => rows.reduce((s, r) => s + r[key], 0);
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('token totals through the reader and analyze()', () => {
  it('are conserved across the three views and equal the counts in the file', () => {
    fc.assert(
      fc.property(randomProfile(), ({ text, usage }) => {
        const p = parseJsonl(text);
        const t = analyze(p, { prices }).tokens;
        // Hand oracle: straight from the generated records.
        const input = usage.reduce((s, u) => s + valid(u.input), 0);
        const output = usage.reduce((s, u) => s + valid(u.output), 0);
        assert.equal(t.calls, usage.length);
        assert.equal(t.input, input);
        assert.equal(t.output, output);
        assert.equal(t.cacheRead, usage.reduce((s, u) => s + u.cacheRead, 0));
        // Usage without a call site (none of its own, none from its span) is in no site row.
        const unsited = p.usage.filter((u) => u.file === undefined || u.line === undefined);
        for (const key of ['calls', 'input', 'output', 'cacheRead'] as const) {
          assert.equal(sum(t.byOperation, key), t[key], `byOperation ${key}`);
          assert.equal(sum(t.byModel, key), t[key], `byModel ${key}`);
        }
        assert.equal(sum(t.bySite, 'calls'), t.calls - unsited.length);
        assert.equal(sum(t.bySite, 'input'), t.input - unsited.reduce((s, u) => s + u.input, 0));
        assert.ok(near(t.byOperation.reduce((s, r) => s + r.costUsd, 0), t.costUsd));
        assert.ok(near(t.byModel.reduce((s, r) => s + r.costUsd, 0), t.costUsd));
      }),
      { numRuns: 300 },
    );
  });
});
