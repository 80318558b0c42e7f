import * as assert from 'node:assert/strict';
import { ChangeBatcher } from '../../src/extension/change-batcher';
import { compileGlob as globToRegExp, enabledGlobs, GlobSet, inIgnoredFolder } from '../../src/extension/glob';
import type { FileBatch } from '../../src/extension/store';

describe('extension glob matching', () => {
  it('matches the default profile glob at any depth, including the root', () => {
    const re = globToRegExp('**/*.agentprof.jsonl');
    assert.ok(re.test('run.agentprof.jsonl'));
    assert.ok(re.test('.agentprof/20261123T121500Z-agent.agentprof.jsonl'));
    assert.ok(re.test('a/b/c/x.agentprof.jsonl'));
    assert.ok(!re.test('run.agentprof.jsonl.bak'));
    assert.ok(!re.test('runXagentprof.jsonl'), 'the dot is literal');
  });

  it('supports *, ?, braces and classes without crossing folders with *', () => {
    assert.ok(globToRegExp('runs/*.jsonl').test('runs/a.jsonl'));
    assert.ok(!globToRegExp('runs/*.jsonl').test('runs/sub/a.jsonl'));
    assert.ok(globToRegExp('run?.jsonl').test('run1.jsonl'));
    assert.ok(!globToRegExp('run?.jsonl').test('run12.jsonl'));
    const braces = globToRegExp('**/*.{jsonl,json}');
    assert.ok(braces.test('x/y.json') && braces.test('y.jsonl') && !braces.test('y.js'));
    assert.ok(globToRegExp('[ab].txt').test('a.txt') && !globToRegExp('[ab].txt').test('c.txt'));
    assert.ok(globToRegExp('[!ab].txt').test('c.txt') && !globToRegExp('[!ab].txt').test('a.txt'));
    assert.ok(globToRegExp('./out/**').test('out/a/b'), 'a leading ./ is dropped');
  });

  it('never throws on a broken pattern: an unclosed brace group is closed at the end', () => {
    const re = globToRegExp('{unclosed,other');
    assert.ok(re.test('unclosed') && re.test('other') && !re.test('{unclosed'));
  });

  it('prunes excluded folders (files.watcherExclude style)', () => {
    const exclude = new GlobSet(['**/.git/objects/**', '**/node_modules/*/**', '**/build/**']);
    assert.ok(exclude.matchesFolder('.git/objects'));
    assert.ok(exclude.matchesFolder('web/node_modules/left-pad'));
    assert.ok(exclude.matchesFolder('build'));
    assert.ok(!exclude.matchesFolder('src'));
    assert.ok(!exclude.matchesFolder('.agentprof'));
    assert.ok(!new GlobSet(['**/*.log']).matchesFolder('logs'), 'a file glob does not prune folders');
  });

  it('reads only switched-on watcherExclude entries and knows the tool folders', () => {
    assert.deepEqual(enabledGlobs({ '**/a/**': true, '**/b/**': false, '**/c/**': 'yes' }), ['**/a/**']);
    assert.deepEqual(enabledGlobs(undefined), []);
    assert.ok(inIgnoredFolder('web/node_modules/x/y.agentprof.jsonl'));
    assert.ok(inIgnoredFolder('.git/x'));
    assert.ok(!inIgnoredFolder('.agentprof/x.agentprof.jsonl'));
  });
});

describe('extension change batcher', () => {
  function harness() {
    const batches: FileBatch[] = [];
    let pending: (() => void) | undefined;
    const b = new ChangeBatcher(
      (batch) => batches.push(batch),
      100,
      (fn) => (pending = fn),
      () => (pending = undefined),
    );
    return { b, batches, fire: () => pending?.() };
  }

  it('delivers one batch per quiet period, last event per file winning', () => {
    const { b, batches, fire } = harness();
    b.push('add', '/a');
    b.push('change', '/a'); // still an add
    b.push('change', '/b');
    b.push('change', '/b');
    b.push('unlink', '/c');
    assert.equal(batches.length, 0);
    fire();
    assert.deepEqual(batches, [{ added: ['/a'], changed: ['/b'], removed: ['/c'] }]);
  });

  it('cancels add-then-remove and turns remove-then-add into a change', () => {
    const { b, batches, fire } = harness();
    b.push('add', '/tmp1');
    b.push('unlink', '/tmp1');
    b.push('unlink', '/r');
    b.push('add', '/r');
    fire();
    assert.deepEqual(batches, [{ added: [], changed: ['/r'], removed: [] }]);
  });

  it('delivers nothing for an empty batch and nothing after dispose', () => {
    const { b, batches, fire } = harness();
    b.flush();
    b.push('change', '/x');
    b.dispose();
    fire();
    assert.equal(batches.length, 0);
  });
});
