import * as assert from 'node:assert/strict';
import type { RunEntry } from '../../src/extension/store';
import { statusText } from '../../src/extension/status-text';
import { analysis } from './extension-fixtures';

function entry(over: Partial<RunEntry>): RunEntry {
  return { file: '/ws/.agentprof/20261207T0300Z-agent.agentprof.jsonl', mtimeMs: 1, startMs: undefined, state: 'idle', result: undefined, summary: undefined, error: undefined, live: false, generation: 0, ...over };
}

describe('status bar text', () => {
  it('shows a run found but not analysed yet by its file name, instead of nothing', () => {
    // Defect from the new-user walk: the item appeared only after the view was opened.
    assert.deepEqual(statusText(entry({})), {
      text: '$(pulse) 20261207T0300Z-agent',
      tooltip: 'Agent Profiler — newest run: 20261207T0300Z-agent. Click to show it.',
    });
    assert.equal(statusText(undefined), undefined);
  });

  it('shows wall time and cost once analysed, with counts said right', () => {
    const run = { ...analysis().run, name: 'agent', wallMs: 9120, costUsd: 0.0123, spans: 1, errors: 1 };
    assert.deepEqual(statusText(entry({ summary: run })), {
      text: '$(pulse) 9.12 s · $0.0123',
      tooltip: 'Agent Profiler — agent: wall time 9.12 s, cost $0.0123, 1 span, 1 error',
    });
  });
});
