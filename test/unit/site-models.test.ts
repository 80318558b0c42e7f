import * as assert from 'node:assert/strict';
import { cheaperModel, type AlternativeSource } from '../../src/core/cheaper-model';
import { CallGroup } from '../../src/core/price-sums';
import { PriceBook } from '../../src/core/prices';
import { siteOfUsage, SiteModels } from '../../src/core/site-models';
import { makeProfile } from './helpers/profile-fixtures';

const tokens = (input: number, output: number, cacheRead = 0) => ({ input, output, cacheRead, cacheWrite: 0 });

describe('site models', () => {
  describe('cheaperModel', () => {
    /** Lists the given alternatives whatever the calls. */
    const source = (...alts: Array<[string, number]>): AlternativeSource => ({
      cheaperAlternatives: () => alts.map(([model, costUsd]) => ({ model, provider: 'p', costUsd })),
    });

    it('names the first alternative the price book lists, not the cheapest', () => {
      const choice = cheaperModel(source(['same-provider', 0.6], ['cheapest', 0.1]), 'm', 'p', [], 1);
      assert.equal(choice?.alternative.model, 'same-provider');
      // 1 − 0.6
      assert.ok(Math.abs(choice!.savingUsd - 0.4) < 1e-12);
    });

    it('names none when the saving is under $0.001 or under 10 % of the cost', () => {
      // $0.01 − $0.0095 = $0.0005 < $0.001.
      assert.equal(cheaperModel(source(['a', 0.0095]), 'm', 'p', [], 0.01), undefined);
      // $1 − $0.9375 = $0.0625 ≥ $0.001 but 6.25 % < 10 %.
      assert.equal(cheaperModel(source(['a', 0.9375]), 'm', 'p', [], 1), undefined);
      // $1 − $0.875 = $0.125: 12.5 %, enough.
      assert.equal(cheaperModel(source(['a', 0.875]), 'm', 'p', [], 1)?.alternative.model, 'a');
      assert.equal(cheaperModel(source(), 'm', 'p', [], 1), undefined);
    });
  });

  describe('CallGroup.add', () => {
    it('keeps the sums of layouts already computed up to date', () => {
      const group = new CallGroup([]);
      group.add(tokens(100, 5, 30));
      // Tier 0 holds input totals up to 200, tier 1 above.
      const sums = group.sumsFor([200]);
      group.add(tokens(500, 7));
      group.add(tokens(150, 1));
      // Tier 0: calls 1 and 3: uncached (100 − 30) + 150 = 220, cache reads 30, output 5 + 1 = 6.
      // Tier 1: call 2: uncached 500, output 7.
      assert.deepEqual([...sums.calls], [2, 1]);
      assert.deepEqual([...sums.uncached], [220, 500]);
      assert.deepEqual([...sums.cacheRead], [30, 0]);
      assert.deepEqual([...sums.output], [6, 7]);
      assert.equal(group.calls.length, 3);
      // A layout first asked for later sums every call: one tier, 720 uncached.
      assert.deepEqual([...group.sumsFor([]).uncached], [720]);
    });

    it('prices a grown group as the same calls given at once', () => {
      const book = new PriceBook({ at: new Date('2026-10-01T00:00:00Z') });
      const calls = Array.from({ length: 40 }, (_, k) => tokens(1_000 * (k + 1), 100 + k));
      const grown = new CallGroup([]);
      for (const c of calls.slice(0, 20)) grown.add(c);
      book.cheaperAlternatives('claude-sonnet-5', 'anthropic', grown);
      for (const c of calls.slice(20)) grown.add(c);
      assert.deepEqual(book.cheaperAlternatives('claude-sonnet-5', 'anthropic', grown), book.cheaperAlternatives('claude-sonnet-5', 'anthropic', calls));
      // claude-haiku-4-5 at $1 in / $5 out per million: inputs 1 000 × (1 + … + 40) = 820 000,
      // outputs 100 × 40 + (0 + … + 39) = 4 780: $0.82 + $0.0239 = $0.8439.
      const haiku = book.cheaperAlternatives('claude-sonnet-5', 'anthropic', grown)[0];
      assert.equal(haiku.model, 'claude-haiku-4-5');
      assert.ok(Math.abs(haiku.costUsd - 0.8439) < 1e-9);
    });
  });

  describe('siteOfUsage and SiteModels', () => {
    const profile = makeProfile(
      [
        { id: 1, name: 'llm:a', start: 0, end: 10, file: 'a.py', line: 4 },
        { id: 2, name: 'llm:b', start: 0, end: 10, file: 'b.py' },
        { id: 3, name: 'llm:c', start: 0, end: 10 },
      ],
      {
        usage: [
          // In span 1, but naming another line: the span's site wins.
          { spanId: 1, model: 'local', input: 10, output: 1, file: 'a.py', line: 99 },
          // Span 2 has no line: its site is b.py line 0.
          { spanId: 2, model: 'local', input: 20, output: 2 },
          // Span 3 has no file: the record's own site.
          { spanId: 3, model: 'local', input: 30, output: 3, file: 'c.py', line: 7 },
          // No span, a file but no line: no site.
          { model: 'local', input: 40, output: 4, file: 'd.py' },
        ],
      },
    );

    it('puts a record at its span\'s site, else at its own file:line', () => {
      assert.deepEqual(profile.usage.map((u) => siteOfUsage(profile, u)), [
        { file: 'a.py', line: 4 },
        { file: 'b.py', line: 0 },
        { file: 'c.py', line: 7 },
        undefined,
      ]);
    });

    it('sums records by site and model, unpriced models at no cost', () => {
      const models = new SiteModels({ price: () => ({ priced: false, costUsd: 0 }), cheaperAlternatives: () => [] });
      models.addNew(profile);
      const [row] = models.at('c.py', 7);
      assert.deepEqual(
        [row.model, row.calls, row.input, row.output, row.costUsd, row.priced, row.cheapest],
        ['local', 1, 30, 3, 0, false, undefined],
      );
      assert.deepEqual(models.at('d.py', 0), []);
      assert.equal(models.usageCount, 4);
    });
  });
});
