import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { calcPrice } from '@pydantic/genai-prices';
import { ProfileBuilder } from '../../src/core/builder';
import {
  CHEAPER_MODEL_CANDIDATES,
  PriceBook,
  PricedTokens,
  PRICES_DATA_DATE,
  PRICES_PACKAGE_VERSION,
  runStartDate,
} from '../../src/core/prices';

/*
 * Per-million-token rates of the bundled data (@pydantic/genai-prices 0.1.8), printed once with a
 * scratch script and written here so every expectation below is arithmetic on them:
 *   gpt-4o             input 2.50, cache read 1.25, no cache-write rate, output 10
 *   gpt-4o-mini        input 0.15, cache read 0.075, output 0.60
 *   claude-3-5-sonnet  input 3, cache write 3.75, cache read 0.30, output 15
 *   claude-sonnet-4-5  input 3 / 6 above 200 000 input tokens, output 15 / 22.50
 *   o3                 input 10, output 40 before 2025-06-10; input 2, output 8 from then on
 */
const AT = new Date('2026-11-01T12:00:00Z');
const tokens = (input: number, output: number, cacheRead = 0, cacheWrite = 0): PricedTokens => ({ input, output, cacheRead, cacheWrite });
const close = (actual: number, expected: number) =>
  assert.ok(Math.abs(actual - expected) <= 1e-12 + 1e-9 * Math.abs(expected), `${actual} != ${expected}`);

const PACKAGE_DIR = path.join(__dirname, '../../node_modules/@pydantic/genai-prices');

describe('PriceBook', () => {
  const book = new PriceBook({ at: AT });

  it('names the pinned package version and the date of its data', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
    assert.equal(pkg.version, PRICES_PACKAGE_VERSION);
    // The data date is the newest price change in the bundle; later ones are scheduled for 2027.
    const bundle = fs.readFileSync(path.join(PACKAGE_DIR, 'dist/index.cjs'), 'utf8');
    const dates = [...bundle.matchAll(/start_date:\s*"(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    const current = dates.filter((d) => d < '2027-01-01').sort();
    assert.equal(current[current.length - 1], PRICES_DATA_DATE);
    assert.equal(book.source, `@pydantic/genai-prices ${PRICES_PACKAGE_VERSION} (data of ${PRICES_DATA_DATE}), prices as of 2026-11-01`);
    assert.equal(new PriceBook().source, `@pydantic/genai-prices ${PRICES_PACKAGE_VERSION} (data of ${PRICES_DATA_DATE})`);
  });

  it('prices gpt-4o with cache-read tokens at the cache rate', () => {
    // 1000 input of which 800 cache-read, 100 output:
    // input 200 × 2.50 + 800 × 1.25 = 500 + 1000 = 1500 µ$ → $0.0015; output 100 × 10 = 1000 µ$ → $0.001.
    const p = book.price('gpt-4o', 'openai', tokens(1000, 100, 800));
    assert.equal(p.priced, true);
    close(p.inputUsd, 0.0015);
    close(p.outputUsd, 0.001);
    close(p.costUsd, 0.0025);
  });

  it('prices gpt-4o-mini without a provider (inferred from the model name)', () => {
    // 12 000 × 0.15 + 3 000 × 0.60 = 1800 + 1800 = 3600 µ$.
    close(book.price('gpt-4o-mini', undefined, tokens(12_000, 3_000)).costUsd, 0.0036);
  });

  it('prices claude-3-5-sonnet cache writes and reads at their own rates', () => {
    // 10 000 input = 3 000 uncached + 2 000 cache-write + 5 000 cache-read; 500 output:
    // 3000 × 3 + 2000 × 3.75 + 5000 × 0.30 = 9000 + 7500 + 1500 = 18 000 µ$; 500 × 15 = 7500 µ$.
    const p = book.price('claude-3-5-sonnet', 'anthropic', tokens(10_000, 500, 5_000, 2_000));
    close(p.inputUsd, 0.018);
    close(p.outputUsd, 0.0075);
    close(p.costUsd, 0.0255);
  });

  it('prices cache writes at the input rate when the model has no cache-write rate', () => {
    // gpt-4o: 1000 input of which 400 cache-write → all 1000 at 2.50 = 2500 µ$.
    close(book.price('gpt-4o', 'openai', tokens(1000, 0, 0, 400)).costUsd, 0.0025);
  });

  it('applies long-context tiers per call (above, not at, the tier start)', () => {
    // claude-sonnet-4-5: 300 000 input → 300 000 × 6 + 1 000 × 22.50 = 1 822 500 µ$.
    close(book.price('claude-sonnet-4-5', 'anthropic', tokens(300_000, 1_000)).costUsd, 1.8225);
    // exactly 200 000 input is still the base tier: 200 000 × 3 + 1 000 × 15 = 615 000 µ$.
    close(book.price('claude-sonnet-4-5', 'anthropic', tokens(200_000, 1_000)).costUsd, 0.615);
  });

  it('leaves unknown models unpriced instead of guessing', () => {
    assert.deepEqual(book.price('my-local-llm', undefined, tokens(1000, 100)), { priced: false, costUsd: 0, inputUsd: 0, outputUsd: 0 });
    // A known provider that has no such model: unpriced too.
    assert.equal(book.price('gpt-4o', 'anthropic', tokens(1000, 100)).priced, false);
  });

  it('infers the provider from the model when the given provider id is unknown (a gateway)', () => {
    // 1000 × 2.50 = 2500 µ$.
    close(book.price('gpt-4o', 'my-gateway', tokens(1000, 0)).costUsd, 0.0025);
  });

  it('repairs cache counts larger than the input (a recorder that reported uncached input only)', () => {
    // input 100 < cache read 800: the input total is taken as 800 → 800 × 1.25 = 1000 µ$.
    close(book.price('gpt-4o', 'openai', tokens(100, 0, 800)).costUsd, 0.001);
  });

  it('agrees with calcPrice call by call (fast path vs the library)', () => {
    const models: Array<[string, string | undefined]> = [
      ['gpt-4o', 'openai'], ['gpt-4o-mini', undefined], ['claude-3-5-sonnet', 'anthropic'],
      ['claude-sonnet-4-5', 'anthropic'], ['gpt-5.4', 'openai'], ['gemini-2.5-pro', 'google'], ['deepseek-chat', 'deepseek'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...models),
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ([model, provider], input, output, readShare, writeShare) => {
          const cacheRead = Math.floor(input * readShare);
          const cacheWrite = Math.floor((input - cacheRead) * writeShare);
          const ours = book.price(model, provider, tokens(input, output, cacheRead, cacheWrite));
          const lib = calcPrice(
            { input_tokens: input, output_tokens: output, cache_read_tokens: cacheRead, cache_write_tokens: cacheWrite },
            model,
            { providerId: provider, timestamp: AT },
          )!;
          close(ours.costUsd, lib.total_price);
          close(ours.inputUsd, lib.input_price);
          close(ours.outputUsd, lib.output_price);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe('overrides', () => {
    it('win over the library, with cache rates defaulting to the input rate', () => {
      const b = new PriceBook({ at: AT, overrides: [{ model: 'gpt-4o', inputPerMTok: 1, outputPerMTok: 2 }] });
      // 1000 input (800 cache-read, at the input rate 1) + 100 × 2 = 1000 + 200 = 1200 µ$.
      close(b.price('gpt-4o', 'openai', tokens(1000, 100, 800)).costUsd, 0.0012);
      assert.match(b.source, /\+ 1 override,/);
    });

    it('price an unknown model, with their own cache rates', () => {
      const b = new PriceBook({
        at: AT,
        overrides: [{ model: 'My-Local-LLM', inputPerMTok: 1, outputPerMTok: 4, cacheReadPerMTok: 0.5, cacheWritePerMTok: 2 }],
      });
      // 1000 input = 500 uncached × 1 + 300 read × 0.5 + 200 written × 2 = 500 + 150 + 400 = 1050 µ$; 10 × 4 = 40 µ$.
      const p = b.price('my-local-llm', undefined, tokens(1000, 10, 300, 200));
      assert.equal(p.priced, true);
      close(p.inputUsd, 0.00105);
      close(p.costUsd, 0.00109);
    });

    it('prefer the one naming the provider; ignore invalid ones', () => {
      const b = new PriceBook({
        at: AT,
        overrides: [
          { model: 'gpt-4o', inputPerMTok: 1, outputPerMTok: 1 },
          { model: 'gpt-4o', provider: 'azure', inputPerMTok: 3, outputPerMTok: 3 },
          { model: 'gpt-4o-mini', inputPerMTok: -1, outputPerMTok: 1 },
        ],
      });
      close(b.price('gpt-4o', 'azure', tokens(1000, 0)).costUsd, 0.003); // 1000 × 3
      close(b.price('gpt-4o', 'openai', tokens(1000, 0)).costUsd, 0.001); // 1000 × 1
      close(b.price('gpt-4o-mini', 'openai', tokens(1000, 0)).costUsd, 0.00015); // library: 1000 × 0.15
      assert.match(b.source, /\+ 2 overrides/);
    });
  });

  describe('dates', () => {
    it('prices a run at its start: o3 before and after its 2025-06-10 price cut', () => {
      const profileAt = (iso: string) => {
        const builder = new ProfileBuilder();
        builder.setRun({ startEpochNs: `${BigInt(Date.parse(iso)) * 1_000_000n}` });
        return builder.finish();
      };
      const defaultBook = new PriceBook();
      const before = defaultBook.forProfile(profileAt('2025-05-01T00:00:00Z'));
      // 1000 × 10 + 1000 × 40 = 50 000 µ$ before; 1000 × 2 + 1000 × 8 = 10 000 µ$ after.
      close(before.price('o3', 'openai', tokens(1000, 1000)).costUsd, 0.05);
      close(defaultBook.forProfile(profileAt('2025-07-01T00:00:00Z')).price('o3', 'openai', tokens(1000, 1000)).costUsd, 0.01);
      assert.match(before.source, /prices as of 2025-05-01$/);
      // A pinned book ignores the run; a run without a start keeps the default book.
      assert.equal(book.forProfile(profileAt('2025-05-01T00:00:00Z')), book);
      assert.equal(defaultBook.forProfile(new ProfileBuilder().finish()), defaultBook);
    });

    it('reads the run start from epoch nanoseconds', () => {
      const builder = new ProfileBuilder();
      builder.setRun({ startEpochNs: '1763900000123456789' });
      assert.equal(runStartDate(builder.finish())?.getTime(), 1763900000123);
      assert.equal(runStartDate(new ProfileBuilder().finish()), undefined); // start "0" = unknown
    });
  });

  describe('cheaperAlternatives', () => {
    it('lists cheaper models, same provider first, cheapest first, with their cost', () => {
      const u = tokens(10_000, 1_000);
      // gpt-4o: 10 000 × 2.50 + 1 000 × 10 = 35 000 µ$.
      const current = book.price('gpt-4o', 'openai', u).costUsd;
      close(current, 0.035);
      const alts = book.cheaperAlternatives('gpt-4o', 'openai', u);
      assert.ok(alts.length > 3);
      // gpt-4o-mini: 10 000 × 0.15 + 1 000 × 0.60 = 1500 + 600 = 2100 µ$.
      const mini = alts.find((a) => a.model === 'gpt-4o-mini');
      close(mini!.costUsd, 0.0021);
      const firstOther = alts.findIndex((a) => a.provider !== 'openai');
      assert.ok(firstOther > 0);
      assert.ok(alts.slice(firstOther).every((a) => a.provider !== 'openai'));
      for (const group of [alts.slice(0, firstOther), alts.slice(firstOther)]) {
        for (let i = 1; i < group.length; i++) assert.ok(group[i - 1].costUsd <= group[i].costUsd);
      }
      assert.ok(alts.every((a) => a.costUsd < current && a.model !== 'gpt-4o'));
    });

    it('never offers the same model under another name, and nothing for unpriced models', () => {
      const alts = book.cheaperAlternatives('gpt-4.1-mini-2025-04-14', 'openai', tokens(10_000, 1_000));
      assert.ok(alts.length > 0);
      assert.ok(!alts.some((a) => a.model === 'gpt-4.1-mini'));
      assert.deepEqual(book.cheaperAlternatives('my-local-llm', undefined, tokens(10_000, 1_000)), []);
    });

    it('prices a group call by call, so long-context tiers stay per call', () => {
      // Two calls of 150 000 input on claude-sonnet-4-5 stay in the base tier each:
      // 2 × 150 000 × 3 = 900 000 µ$ (summed into one 300 000 call it would be 1 800 000 µ$).
      const calls = [tokens(150_000, 0), tokens(150_000, 0)];
      const alts = book.cheaperAlternatives('claude-sonnet-4-5', 'anthropic', calls);
      const haiku = alts.find((a) => a.model === 'claude-haiku-4-5');
      close(haiku!.costUsd, 0.3); // 300 000 × 1
      assert.ok(alts.every((a) => a.costUsd < 0.9));
      // claude-opus-5-5 (input 4): 300 000 × 4 = 1 200 000 µ$, cheaper than a wrongly summed
      // 1.80 but not than the true 0.90, so it must not be offered.
      assert.ok(!alts.some((a) => a.model === 'claude-opus-5-5'));
    });

    it('every curated candidate has a library price', () => {
      for (const c of CHEAPER_MODEL_CANDIDATES) {
        assert.ok(book.price(c.model, c.provider, tokens(1000, 100)).priced, `${c.provider}/${c.model} is not priced`);
      }
    });
  });
});
