import * as assert from 'node:assert/strict';
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
});
