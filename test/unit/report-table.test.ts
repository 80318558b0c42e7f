import { strict as assert } from 'assert';
import { renderTable, styler, visibleLength } from '../../src/core/report/table';

describe('report table', () => {
  it('pads columns to the widest cell and right-aligns numbers', () => {
    const lines = renderTable(
      [{ title: 'name' }, { title: 'n', align: 'right' }],
      [
        ['llm', '12'],
        ['tool_call', '3'],
      ],
    );
    assert.deepEqual(lines, ['name        n', 'llm        12', 'tool_call   3']);
  });

  it('ignores ANSI escapes when measuring and cuts long cells', () => {
    const s = styler(true);
    assert.equal(visibleLength(s.red('abc')), 3);
    const lines = renderTable([{ title: 'x', maxWidth: 5 }], [['abcdefgh']]);
    assert.equal(lines[1], 'abcd…');
  });

  it('says when rows are left out or there are none', () => {
    assert.deepEqual(renderTable([{ title: 'a' }], [['1'], ['2'], ['3']], { maxRows: 2 }), ['a', '1', '2', '… 1 more']);
    assert.deepEqual(renderTable([{ title: 'a' }], []), ['a', '(none)']);
  });
});
