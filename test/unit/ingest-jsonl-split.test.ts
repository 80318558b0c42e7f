/**
 * Property: the incremental reader does not depend on how the bytes arrive. Any sequence of
 * records (valid ones, plus blank, malformed, invalid-UTF-8, over-long and unknown-type lines),
 * serialised to bytes and pushed in pieces cut at arbitrary byte offsets (inside multi-byte
 * characters too), gives the same model, diagnostics and restart point as one push of the whole.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { JsonlIngest } from '../../src/ingest/jsonl';

const HEADER = '{"t":"run","v":1,"name":"r","start":"1000","pid":1,"argv":[],"cwd":"/w","recorder":"test/0"}';
/** Names with 1-, 2-, 3- and 4-byte UTF-8 characters, so cuts fall inside characters. */
const NAMES = ['llm:plan', 'tool:caf\u00e9', 'memory:\u65e5\u672c', 'agent:\ud83d\ude80', 'x'];

/** One line-producing step of a generated file. */
type Step =
  | { kind: 'open'; name: number; parent: number; dt: number; attrs: boolean }
  | { kind: 'close'; which: number; dt: number; err: boolean }
  | { kind: 'usage'; which: number; tokens: number }
  | { kind: 'budget'; tokens: number }
  | { kind: 'noise'; text: number }
  | { kind: 'header' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('open' as const), name: fc.nat(NAMES.length - 1), parent: fc.nat(), dt: fc.nat(1000), attrs: fc.boolean() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('close' as const), which: fc.nat(), dt: fc.nat(1000), err: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('usage' as const), which: fc.nat(), tokens: fc.integer({ min: -5, max: 5000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('budget' as const), tokens: fc.nat(100000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('noise' as const), text: fc.nat(6) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'header' as const }) },
);

const enc = new TextEncoder();

/** Serialises steps to the bytes of a profile file. */
function render(steps: Step[], bom: boolean, crlf: boolean, finalNewline: boolean): Uint8Array {
  const lines: Uint8Array[] = [enc.encode((bom ? '\uFEFF' : '') + HEADER)];
  const open: number[] = [];
  let nextId = 1;
  let at = 0;
  for (const s of steps) {
    let line: string | Uint8Array;
    switch (s.kind) {
      case 'open': {
        at += s.dt;
        const id = nextId++;
        const parent = open.length > 0 && s.parent % 3 !== 0 ? open[s.parent % open.length] : undefined;
        open.push(id);
        line = JSON.stringify({ t: 's', id, p: parent, n: NAMES[s.name], at, f: 'a.py', l: 1 + (id % 9), a: s.attrs ? { q: NAMES[s.name], n: [1, { d: 2 }] } : undefined });
        break;
      }
      case 'close': {
        if (open.length === 0) continue;
        at += s.dt;
        const [id] = open.splice(s.which % open.length, 1);
        line = JSON.stringify({ t: 'e', id, at, err: s.err ? 'Boom: \u00e9chec' : undefined });
        break;
      }
      case 'usage':
        line = JSON.stringify({ t: 'u', span: s.which % nextId, op: 'llm:plan', model: 'm', in: s.tokens, out: 3, cr: 1 });
        break;
      case 'budget':
        line = JSON.stringify({ t: 'b', target: 'llm', tokens: s.tokens });
        break;
      case 'header':
        line = HEADER;
        break;
      case 'noise':
        line = [
          '',
          '   ',
          '{"t":"s","id":',
          '"a string"',
          '{"t":"future","x":1}',
          new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]), // `{`, a broken 2-byte sequence, `}`
          `{"t":"s","id":1,"n":"${'z'.repeat(200)}","at":1}`, // over the 128-byte cap used below
        ][s.text];
        break;
    }
    lines.push(typeof line === 'string' ? enc.encode(line) : line);
  }
  const eol = enc.encode(crlf ? '\r\n' : '\n');
  const size = lines.reduce((n, l) => n + l.length + eol.length, 0);
  const out = new Uint8Array(size);
  let pos = 0;
  for (const l of lines) {
    out.set(l, pos);
    pos += l.length;
    out.set(eol, pos);
    pos += eol.length;
  }
  return finalNewline ? out : out.subarray(0, out.length - eol.length);
}

/** Reads the bytes pushed in pieces cut at `cuts` (offsets into the file). */
function read(bytes: Uint8Array, cuts: number[], maxLineBytes: number) {
  const ingest = new JsonlIngest(undefined, { maxLineBytes });
  const sorted = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const cut of [...sorted, bytes.length]) {
    // A copy per piece, reusing nothing: the ingest must not keep views of pushed buffers...
    const piece = bytes.slice(from, cut);
    ingest.push(piece);
    // ...and overwriting the piece after the push must not change the result.
    piece.fill(0x20);
    from = cut;
  }
  ingest.end();
  return {
    profile: ingest.builder.finish(),
    offset: ingest.offset,
    restarted: ingest.restarted,
    restartOffset: ingest.restartOffset,
    restartLine: ingest.restartLine,
  };
}

describe('JsonlIngest: split anywhere, same model', () => {
  it('gives the same result for any cutting of the bytes into pushes', () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.constantFrom(128, 16 * 1024 * 1024),
        (steps, bom, crlf, finalNewline, cuts, maxLineBytes) => {
          const bytes = render(steps, bom, crlf, finalNewline);
          const whole = read(bytes, [], maxLineBytes);
          const pieces = read(bytes, cuts, maxLineBytes);
          assert.equal(whole.offset, bytes.length);
          assert.deepStrictEqual(pieces, whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same result byte by byte (every cut at once)', () => {
    const steps: Step[] = [];
    for (let i = 0; i < 20; i++) {
      steps.push({ kind: 'open', name: i % NAMES.length, parent: i, dt: 3, attrs: i % 2 === 0 });
      if (i % 3 === 2) steps.push({ kind: 'close', which: i, dt: 1, err: i % 2 === 0 });
      steps.push({ kind: 'noise', text: i % 7 });
    }
    const bytes = render(steps, true, true, false);
    const everyByte = Array.from({ length: bytes.length }, (_, i) => i);
    const whole = read(bytes, [], 128);
    // The generated file has 20 spans and each noise kind at least twice; make sure it was read.
    assert.equal(whole.profile.spans.length, 20);
    assert.ok(whole.profile.diagnostics.length >= 10);
    assert.deepStrictEqual(read(bytes, everyByte, 128), whole);
  });
});
