/**
 * The native JSON Lines reader fed in pieces, as a live file is read: partial lines, end of input,
 * the line-length cap, and a new run's header.
 */
import { strict as assert } from 'assert';
import { JsonlIngest, parseJsonl } from '../../src/ingest/jsonl';

const HEADER = '{"t":"run","v":1,"name":"r","start":"1000","pid":1,"argv":[],"cwd":"/w","recorder":"test/0"}';
const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('JsonlIngest: incremental', () => {
  it('holds a half-written last line until the next push completes it', () => {
    const ingest = new JsonlIngest();
    const first = `${HEADER}\n{"t":"s","id":1,"n":"a",`;
    ingest.push(enc(first));
    assert.equal(ingest.profile.spans.length, 0);
    assert.equal(ingest.offset, enc(first).length);
    assert.equal(ingest.lineNumber, 2);
    assert.equal(ingest.midLine, true);
    ingest.push(enc('"at":7}\n'));
    assert.deepEqual(ingest.profile.spans.map((s) => [s.id, s.start, s.sourceLine]), [[1, 7, 2]]);
    assert.equal(ingest.lineNumber, 3);
    assert.equal(ingest.midLine, false);
    assert.deepEqual(ingest.profile.diagnostics, []);
  });

  it('end(): a complete last line without newline is kept; a broken one is a warning', () => {
    const ok = new JsonlIngest();
    ok.push(enc(`${HEADER}\n{"t":"s","id":1,"n":"a","at":7}`));
    ok.end();
    assert.equal(ok.profile.spans.length, 1);

    const broken = new JsonlIngest();
    broken.push(enc(`${HEADER}\n{"t":"s","id":1,"n":"a","at`));
    broken.end();
    assert.equal(broken.profile.spans.length, 0);
    assert.deepEqual(broken.profile.diagnostics.map((d) => [d.line, d.severity]), [[2, 'warning']]);
    assert.match(broken.profile.diagnostics[0].message, /^last line is incomplete/);
  });

  it('skips a line over the cap without holding it, then reads on', () => {
    const ingest = new JsonlIngest(undefined, { maxLineBytes: 100 });
    ingest.push(enc(`${HEADER}\n{"t":"s","id":1,"n":"`));
    for (let i = 0; i < 50; i++) ingest.push(enc('x'.repeat(1000))); // 50 000 bytes, never held
    ingest.push(enc('","at":1}\n{"t":"s","id":2,"n":"b","at":2}\n'));
    const p = ingest.builder.finish();
    assert.deepEqual(p.spans.map((s) => s.id), [2]);
    assert.equal(p.spans[0].sourceLine, 3);
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0].line, 2);
    assert.match(p.diagnostics[0].message, /^line longer than the limit of 100 bytes; skipped unread$/);
  });

  it('skips a line over the cap that arrives whole inside one chunk', () => {
    const long = `{"t":"s","id":1,"n":"${'y'.repeat(500)}","at":1}`;
    const p = parseJsonl(`${HEADER}\n${long}\n{"t":"s","id":2,"n":"b","at":2}\n`, { maxLineBytes: 200 });
    assert.deepEqual(p.spans.map((s) => s.id), [2]);
    assert.deepEqual(p.diagnostics.map((d) => d.line), [2]);
  });

  it('reads a line longer than one 4 MiB decode segment but under the cap', () => {
    const name = 'x'.repeat(5 * 1024 * 1024);
    const p = parseJsonl(`${HEADER}\n{"t":"s","id":1,"n":"a","at":1}\n{"t":"s","id":2,"n":"${name}","at":2}\n{"t":"s","id":3,"n":"c","at":3}\n`);
    assert.deepEqual(p.diagnostics, []);
    assert.deepEqual(p.spans.map((s) => [s.id, s.name.length, s.sourceLine]), [[1, 1, 2], [2, name.length, 3], [3, 1, 4]]);
  });

  it('flags a restart when the header appears again, with where the new run starts', () => {
    const ingest = new JsonlIngest();
    const firstRun = `${HEADER}\n{"t":"s","id":1,"n":"a","at":1}\n`;
    ingest.push(enc(firstRun + `${HEADER}\n{"t":"s","id":9,"n":"z","at":1}\n`));
    assert.equal(ingest.restarted, true);
    assert.equal(ingest.restartOffset, enc(firstRun).length);
    assert.equal(ingest.restartLine, 3);
    // Lines of the new run are not mixed into the old model.
    assert.deepEqual(ingest.profile.spans.map((s) => s.id), [1]);
  });

  it('restarted is false for a header after only malformed lines', () => {
    const ingest = new JsonlIngest();
    ingest.push(enc(`garbage\n${HEADER}\n`));
    assert.equal(ingest.restarted, false);
    assert.equal(ingest.profile.run.name, 'r');
  });
});
