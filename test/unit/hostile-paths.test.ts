/**
 * Call-site paths from hostile profiles (jump-to-code): device and UNC forms, drive-relative
 * Windows paths, traversal hidden in absolute paths or in the run's cwd, and strings a shell
 * would expand. Only a path that really resolves inside a workspace folder may open silently;
 * extension-path-safety.test.ts covers the ordinary cases, these are the odd ones.
 */
import { strict as assert } from 'assert';
import * as path from 'path';
import { classifyPath, isInside } from '../../src/extension/path-safety';

const posix = { path: path.posix, caseInsensitive: false };
const win = { path: path.win32, caseInsensitive: true };

describe('hostile call-site paths', () => {
  it('Windows device and long-path forms are network/device paths: never silent', () => {
    for (const p of ['\\\\?\\C:\\Windows\\win.ini', '\\\\.\\pipe\\x', '//?/C:/x', '\\\\server\\share\\agent.py']) {
      assert.equal(classifyPath(p, 'C:\\ws', ['C:\\ws'], win).kind, 'unc', p);
    }
  });

  it('traversal through a drive-relative path, backslashes, or an absolute path with .. is outside', () => {
    assert.deepEqual(classifyPath('C:..\\secret.txt', 'C:\\ws', ['C:\\ws'], win), { kind: 'outside', absolute: 'C:\\secret.txt' });
    assert.deepEqual(classifyPath('..\\..\\Windows\\win.ini', 'C:\\ws\\app', ['C:\\ws'], win), { kind: 'outside', absolute: 'C:\\Windows\\win.ini' });
    assert.deepEqual(classifyPath('/ws/../etc/passwd', '/ws', ['/ws'], posix), { kind: 'outside', absolute: '/etc/passwd' });
    assert.deepEqual(classifyPath('/ws/./a/../../etc', '/ws', ['/ws'], posix), { kind: 'outside', absolute: '/etc' });
    assert.deepEqual(classifyPath('a.py', '/ws/../etc', ['/ws'], posix), { kind: 'outside', absolute: '/etc/a.py' });
    assert.equal(classifyPath('/', '/ws', ['/ws'], posix).kind, 'outside');
  });

  it('a relative cwd in the header cannot lead out: the path resolves against the workspace folder', () => {
    assert.deepEqual(classifyPath('a.py', '../..', ['/ws'], posix), { kind: 'inside', absolute: '/ws/a.py' });
    assert.deepEqual(classifyPath('../../etc/passwd', 'relative/dir', ['/ws'], posix), { kind: 'outside', absolute: '/etc/passwd' });
  });

  it('URIs, ~ and $VARS are not expanded: they stay literal names inside the folder', () => {
    for (const p of ['file:///etc/passwd', '~/.ssh/id_rsa', '$HOME/.ssh/id_rsa', '%USERPROFILE%\\.ssh\\id_rsa']) {
      const verdict = classifyPath(p, '/ws', ['/ws'], posix);
      assert.equal(verdict.kind, 'inside', p);
      assert.ok(verdict.kind === 'inside' && isInside('/ws', verdict.absolute, path.posix, false) && verdict.absolute.startsWith('/ws/'), p);
    }
  });
});
