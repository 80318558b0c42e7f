import { strict as assert } from 'assert';
import { CHUNK_CHARS, writeJson } from '../../src/core/report/json-stream';

function streamed(value: unknown): { text: string; chunks: string[] } {
  const chunks: string[] = [];
  writeJson(value, (c) => chunks.push(c));
  return { text: chunks.join(''), chunks };
}

describe('writeJson', () => {
  const values: unknown[] = [
    {},
    [],
    { a: 1, b: 'two\nlines "quoted"', c: null, d: undefined, e: [1, [2, []], { f: [] }], g: {}, h: true },
    [{ x: 1, y: [1, 2] }, [3, { z: 'é' }], undefined, null, 'str', NaN],
    { nested: { deeper: { rows: [{ a: 1 }, { b: { c: [1] } }] } } },
    'plain',
    42,
  ];
  values.forEach((v, k) => {
    it(`writes what JSON.stringify(value, null, 2) writes (${k})`, () => {
      assert.equal(streamed(v).text, JSON.stringify(v, null, 2) + '\n');
    });
  });

  it('hands the text over in bounded chunks', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ name: `step_${i}:llm_call`, total_ms: i / 3 }));
    const { text, chunks } = streamed({ rows });
    assert.equal(text, JSON.stringify({ rows }, null, 2) + '\n');
    assert.ok(chunks.length > 10);
    // A chunk is cut once it reaches the size, so it is at most the size plus one row.
    for (const c of chunks) assert.ok(c.length < CHUNK_CHARS + 200, `chunk of ${c.length}`);
  });
});
