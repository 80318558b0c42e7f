/**
 * Export → import round trip on hostile profiles: random native files read by the parser, with
 * orphans, parent cycles, duplicate ids, ends before starts, unfinished spans, shuffled lines,
 * zeroed token counts and `__proto__` names, exported as a Chrome trace and read back. The model
 * must come back the same. export-chrome.test.ts checks the round trip on well-formed random
 * trees; this adds what only a damaged file produces.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { exportChromeTrace } from '../../src/core/export/chrome';
import type { Profile } from '../../src/core/model';
import { parseChrome } from '../../src/ingest/chrome';
import { parseJsonl } from '../../src/ingest/jsonl';
import { prototypeIntact } from '../fixtures/hostile/pipeline';
import { randomProfile } from '../fixtures/hostile/random-profile';

/** What a span is, with its parent named by id (indices may be renumbered). */
const spanFacts = (p: Profile) =>
  p.spans.map((s) => ({
    id: s.id,
    parent: s.parent >= 0 ? p.spans[s.parent].id : null,
    orphan: s.orphan,
    name: s.name,
    kind: s.kind,
    start: s.start,
    end: s.end,
    status: s.status,
    file: s.file,
    line: s.line,
  }));

/**
 * Usage by the span id written in the file. (A usage line before its span's start line is not
 * bound to the span by the native reader, while the Chrome import, which reads spans first, binds
 * it: the resolved index may differ, the recorded id does not.)
 */
const usageFacts = (p: Profile) => p.usage.map((u) => [u.spanId ?? null, u.operation, u.model, u.input, u.output, u.cacheRead, u.time]);

describe('Chrome export → import round trip on hostile profiles (property)', () => {
  it('gives back the same spans, usage and time range', () => {
    fc.assert(
      fc.property(randomProfile(30), ({ text }) => {
        const original = parseJsonl(text);
        const back = parseChrome(exportChromeTrace(original));
        assert.deepEqual(spanFacts(back), spanFacts(original));
        assert.deepEqual(usageFacts(back), usageFacts(original));
        assert.equal(back.minTime, original.minTime);
        assert.equal(back.maxTime, original.maxTime);
        assert.ok(prototypeIntact());
      }),
      { numRuns: 200 },
    );
  });
});
