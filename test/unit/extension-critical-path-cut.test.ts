import * as assert from 'node:assert/strict';
import { analyze, compactCriticalPath } from '../../src/core/analyze';
import { ProfileBuilder } from '../../src/core/builder';
import { cutCriticalPath } from '../../src/extension/critical-path-cut';
import { analysis } from './extension-fixtures';

describe('extension critical path cut for the host', () => {
  // Three segments tiling 0–4 ms: 1 + 2.5 + 0.5 = 4 ms.
  const path = [
    { span: 0, spanId: 1, name: 'agent:run', startMs: 0, endMs: 1 },
    { span: 1, spanId: 2, name: 'llm:planning', startMs: 1, endMs: 3.5 },
    { span: 0, spanId: 1, name: 'agent:run', startMs: 3.5, endMs: 4 },
  ];

  it('keeps the first segments and reports the whole path', () => {
    const a = analysis({ criticalPath: path });
    const { analysis: cut, total } = cutCriticalPath(a, 2);
    assert.deepEqual(cut.criticalPath, path.slice(0, 2));
    assert.deepEqual(total, { segments: 3, ms: 4 });
    assert.equal(a.criticalPath.length, 3, 'the analysis given is not changed');
  });

  it('returns the same analysis when the path is short enough, and 0 ms for no path', () => {
    const a = analysis({ criticalPath: path });
    assert.equal(cutCriticalPath(a, 3).analysis, a);
    assert.deepEqual(cutCriticalPath(analysis({ criticalPath: [] }), 3).total, { segments: 0, ms: 0 });
  });

  it('cuts a batch analysis from its compact path without making every segment', () => {
    // run [0, 10] ms with a [0, 3] then b [3, 7]: the path is a 0–3, b 3–7, run 7–10 (3 segments).
    const b = new ProfileBuilder();
    const MS = 1e6;
    b.addSpan({ id: 1, name: 'agent:run', start: 0, end: 10 * MS }, 1);
    b.addSpan({ id: 2, parentId: 1, name: 'tool:a', start: 0, end: 3 * MS }, 2);
    b.addSpan({ id: 3, parentId: 1, name: 'tool:b', start: 3 * MS, end: 7 * MS }, 3);
    const profile = b.finish();
    const a = analyze(profile);
    assert.ok(compactCriticalPath(a), 'not materialized yet');
    const { analysis: cut, total } = cutCriticalPath(a, 2, profile);
    assert.deepEqual(total, { segments: 3, ms: 10 });
    assert.deepEqual(cut.criticalPath.map((s) => [s.name, s.startMs, s.endMs]), [['tool:a', 0, 3], ['tool:b', 3, 7]]);
    assert.ok(compactCriticalPath(a), 'the cut did not make the whole path');
    assert.deepEqual(cut.criticalPath, a.criticalPath.slice(0, 2), 'the same segments as the whole path\'s first two');
    assert.equal(cut.bottlenecks, a.bottlenecks);
  });
});
