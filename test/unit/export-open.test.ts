import * as assert from 'node:assert/strict';
import { runFileStem } from '../../src/extension/tree-model';
import { viewerOf } from '../../src/extension/worker-protocol';

describe('Open after Export Report…', () => {
  it('shows a Markdown report rendered and an HTML report in the browser, data files as text', () => {
    // Defect from the new-user walk: Open showed the raw Markdown file.
    assert.equal(viewerOf('markdown'), 'markdownPreview');
    assert.equal(viewerOf('html'), 'browser');
    for (const f of ['chrome', 'speedscope', 'prometheus', 'sarif'] as const) assert.equal(viewerOf(f), 'editor');
  });

  it('suggests x.html for the trace x.otlp.json', () => {
    assert.equal(`${runFileStem('/ws/traces/x.otlp.json')}.html`, 'x.html');
  });
});
