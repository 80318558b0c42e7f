import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { classifyPath } from '../../src/extension/path-safety';
import { locateRecordedPath } from '../../src/extension/workspace-paths';

const posix = { path: path.posix, caseInsensitive: false };

describe('where a recorded call site is (one rule for lenses, Go to code and Problems)', () => {
  const existing = new Set(['/ws/examples/agent.py', '/ws2/lib/tools.py', '/other/checkout/examples/agent.py']);
  const exists = (f: string) => existing.has(f);

  it('takes the workspace file when the run was recorded in another checkout', () => {
    // Defect from the new-user walk: lenses showed on /ws/examples/agent.py, but Go to code opened
    // /other/checkout/examples/agent.py and Problems had nothing.
    assert.deepEqual(classifyPath('examples/agent.py', '/other/checkout', ['/ws'], posix), { kind: 'outside', absolute: '/other/checkout/examples/agent.py' });
    assert.deepEqual(locateRecordedPath('examples/agent.py', '/other/checkout', ['/ws'], exists, posix), { kind: 'inside', absolute: '/ws/examples/agent.py' });
    // In a second folder of a multi-root workspace.
    assert.deepEqual(locateRecordedPath('lib/tools.py', '/elsewhere', ['/ws', '/ws2'], exists, posix), { kind: 'inside', absolute: '/ws2/lib/tools.py' });
  });

  it('keeps the cwd answer when it is inside, and never climbs out of a folder or reinterprets absolute paths', () => {
    assert.deepEqual(locateRecordedPath('examples/agent.py', '/ws', ['/ws'], exists, posix), { kind: 'inside', absolute: '/ws/examples/agent.py' });
    assert.equal(locateRecordedPath('../etc/passwd', '/other', ['/ws'], () => true, posix).kind, 'outside');
    assert.deepEqual(locateRecordedPath('/other/checkout/examples/agent.py', '/other/checkout', ['/ws'], exists, posix), { kind: 'outside', absolute: '/other/checkout/examples/agent.py' });
    // Not in the workspace either: still outside (Go to code asks first; Problems stays empty).
    assert.equal(locateRecordedPath('missing.py', '/other', ['/ws'], exists, posix).kind, 'outside');
  });
});
