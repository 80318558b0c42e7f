import { strict as assert } from 'assert';
import { ProfileBuilder } from '../../src/core/builder';
import { criticalPath } from '../../src/core/critical-path';
import { renderWaterfallText, waterfallRows } from '../../src/core/waterfall';
import { makeProfile, SpanSpec } from './helpers/profile-fixtures';

// eslint-disable-next-line no-control-regex
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Root 0–100 with llm:plan 0–30, a failing tool:search 30–70 and an unclosed llm:answer from 70. */
function sequentialRun() {
  return makeProfile(
    [
      { id: 1, name: 'agent:run', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'llm:plan', start: 0, end: 30 },
      { id: 3, parent: 1, name: 'tool:search', start: 30, end: 70, error: 'TimeoutError' },
      { id: 4, parent: 1, name: 'llm:answer', start: 70 },
    ],
    { times: [100] },
  );
}

describe('waterfallRows', () => {
  it('lists spans depth-first, children in start order, even when they arrive out of order', () => {
    // File order: a late sibling and a grandchild before their parents (OTLP writes spans as they end).
    const profile = makeProfile([
      { id: 'g', parent: 'b', name: 'grandchild', start: 25, end: 30 },
      { id: 'c', parent: 'r', name: 'late', start: 60, end: 90 },
      { id: 'r', name: 'root', start: 10, end: 100 },
      { id: 'b', parent: 'r', name: 'early', start: 20, end: 50 },
      { id: 'z', name: 'second-top', start: 95, end: 110 },
    ]);
    const rows = waterfallRows(profile, []);
    const names = rows.map((r) => profile.spans[r.span].name);
    assert.deepEqual(names, ['root', 'early', 'grandchild', 'late', 'second-top']);
    assert.deepEqual(
      rows.map((r) => r.depth),
      [0, 1, 2, 1, 0],
    );
    // ms since the first start (10): root 0, early 10, grandchild 15, late 50, second-top 85.
    assert.deepEqual(
      rows.map((r) => r.startMs),
      [0, 10, 15, 50, 85],
    );
    assert.deepEqual(
      rows.map((r) => r.durationMs),
      [90, 30, 5, 30, 15],
    );
  });

  it('marks critical, open and failed spans', () => {
    const profile = sequentialRun();
    const rows = waterfallRows(profile, criticalPath(profile));
    // The children tile 0–100, so the root owns no segment of the path and is not marked.
    assert.deepEqual(
      rows.map((r) => [profile.spans[r.span].name, r.critical, r.error, r.open, r.durationMs]),
      [
        ['agent:run', false, false, false, 100],
        ['llm:plan', true, false, false, 30],
        ['tool:search', true, true, false, 40],
        ['llm:answer', true, false, true, 30], // open: 100 − 70
      ],
    );
  });

  it('leaves parallel work that finished early off the critical path', () => {
    const profile = makeProfile([
      { id: 1, name: 'agent:run', start: 0, end: 100 },
      { id: 2, parent: 1, name: 'plan', start: 0, end: 10 },
      { id: 3, parent: 1, name: 'tool:a', start: 10, end: 40 },
      { id: 4, parent: 1, name: 'tool:b', start: 10, end: 90 },
      { id: 5, parent: 1, name: 'tool:c', start: 10, end: 60 },
      { id: 6, parent: 1, name: 'summarize', start: 90, end: 100 },
    ]);
    const rows = waterfallRows(profile, criticalPath(profile));
    const critical = rows.filter((r) => r.critical).map((r) => profile.spans[r.span].name);
    assert.deepEqual(critical, ['plan', 'tool:b', 'summarize']);
  });

  it('walks 100 000-deep nesting iteratively', () => {
    const depth = 100_000;
    const b = new ProfileBuilder();
    for (let k = 0; k < depth; k++) {
      b.addSpan({ id: k, parentId: k === 0 ? undefined : k - 1, name: 'level', start: k, end: 2 * depth - k }, k + 1);
    }
    const rows = waterfallRows(b.finish(), []);
    assert.equal(rows.length, depth);
    // Row k is span k at depth k, starting k ns = k / 1e6 ms after the first start.
    assert.deepEqual([rows[depth - 1].span, rows[depth - 1].depth, rows[depth - 1].startMs], [depth - 1, depth - 1, 0.099999]);
  });

  it('still lists every span once when bad input has a parent cycle', () => {
    const profile = makeProfile([
      { id: 1, name: 'root', start: 0, end: 100 },
      { id: 2, name: 'A', start: 10, end: 90 },
      { id: 3, parent: 2, name: 'B', start: 20, end: 80 },
    ]);
    // Corrupt by hand: A becomes B's child (A ↔ B cycle, unreachable from any top-level span).
    profile.spans[1].parent = 2;
    profile.spans[2].children = [1];
    const rows = waterfallRows(profile, []);
    // root; then the unreached spans as extra roots in index order: A (with B under it).
    assert.deepEqual(
      rows.map((r) => [r.span, r.depth]),
      [
        [0, 0],
        [1, 0],
        [2, 1],
      ],
    );
  });
});

describe('renderWaterfallText', () => {
  it('draws bars of = on the time axis with markers (hand-computed, width 10)', () => {
    const profile = sequentialRun();
    const text = renderWaterfallText(profile, waterfallRows(profile, criticalPath(profile)), { width: 10 });
    // Label column 13 wide ('  tool:search'), durations 6 wide ('100 ms'), bars start at column 25.
    // Columns per ms: 10 / 100. plan 0–30 → offset 0, 3 '='; search 30–70 → offset 3, 4;
    // answer 70–100 → offset 7, 3. The scale puts 0 over the first '|' and '100 ms' under the last.
    assert.equal(
      text,
      [
        '                         0     100 ms',
        '    agent:run     100 ms |==========|',
        '*     llm:plan     30 ms |===       |',
        '*!    tool:search  40 ms |   ====   |',
        '* …   llm:answer   30 ms |       ===|',
        '* critical path  ! error  … unfinished',
      ].join('\n'),
    );
  });

  it('keeps short spans visible and bars inside the axis', () => {
    const profile = makeProfile([
      { id: 1, name: 'run', start: 0, end: 1000 },
      { id: 2, parent: 1, name: 'blip', start: 999, end: 1000 },
    ]);
    const lines = renderWaterfallText(profile, waterfallRows(profile, []), { width: 20 }).split('\n');
    // blip: offset floor(999 × 20 / 1000) = 19, length max(1, round(0.02)) = 1 → the last column.
    assert.ok(lines[2].endsWith('|' + ' '.repeat(19) + '=|'), lines[2]);
    // No markers anywhere, so no legend.
    assert.equal(lines.length, 3);
  });

  it('cuts long names, caps the indent of deep rows and limits the rows shown', () => {
    const long = 'tool:' + 'x'.repeat(80);
    const specs: SpanSpec[] = [{ id: 0, name: long, start: 0, end: 100 }];
    for (let k = 1; k <= 15; k++) specs.push({ id: k, parent: k - 1, name: `d${k}`, start: k, end: 100 });
    const profile = makeProfile(specs);
    const rows = waterfallRows(profile, []);
    const lines = renderWaterfallText(profile, rows, { maxRows: 14 }).split('\n');
    // Line 1 is the first row: the name cut to 47 characters plus '…' (48 wide).
    assert.ok(lines[1].startsWith('    ' + long.slice(0, 47) + '… '), lines[1]);
    // Depth 13 (row 14) is past the 12 indent levels: 24 spaces then its depth.
    assert.ok(lines[14].startsWith('    ' + ' '.repeat(24) + '[13] d13 '), lines[14]);
    // 16 rows, 14 shown.
    assert.equal(lines[15], '… 2 more rows');
    assert.equal(lines.length, 16);
  });

  it('colours with ANSI when asked, the text otherwise unchanged', () => {
    const profile = sequentialRun();
    const rows = waterfallRows(profile, criticalPath(profile));
    const plain = renderWaterfallText(profile, rows);
    const coloured = renderWaterfallText(profile, rows, { color: true });
    assert.notEqual(coloured, plain);
    assert.ok(coloured.includes('\x1b[31m'), 'errors and the critical path are red');
    assert.equal(stripAnsi(coloured), plain);
    assert.ok(!plain.includes('\x1b['));
  });

  it('says so when there are no spans', () => {
    const profile = makeProfile([]);
    assert.equal(renderWaterfallText(profile, waterfallRows(profile, [])), '(no spans)');
  });
});
