import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { classifyPath, isInside, isUncPath, outsideFileDetail } from '../../src/extension/path-safety';

const posix = { path: path.posix, caseInsensitive: false };
const win = { path: path.win32, caseInsensitive: true };

describe('extension path safety', () => {
  it('opens call sites inside a workspace folder silently', () => {
    assert.deepEqual(classifyPath('agent.py', '/ws', ['/ws'], posix), { kind: 'inside', absolute: '/ws/agent.py' });
    assert.deepEqual(classifyPath('sub/../tools.py', '/ws/app', ['/ws'], posix), { kind: 'inside', absolute: '/ws/app/tools.py' });
    assert.deepEqual(classifyPath('/ws/lib/x.py', undefined, ['/other', '/ws'], posix), { kind: 'inside', absolute: '/ws/lib/x.py' });
  });

  it('flags traversal and absolute paths outside every folder', () => {
    assert.deepEqual(classifyPath('../../etc/passwd', '/ws/app', ['/ws'], posix), { kind: 'outside', absolute: '/etc/passwd' });
    assert.deepEqual(classifyPath('/etc/passwd', '/ws', ['/ws'], posix), { kind: 'outside', absolute: '/etc/passwd' });
    // A profile whose header claims cwd /etc cannot make `passwd` look local.
    assert.deepEqual(classifyPath('passwd', '/etc', ['/ws'], posix), { kind: 'outside', absolute: '/etc/passwd' });
    // A sibling folder sharing a prefix is not inside.
    assert.deepEqual(classifyPath('/ws-evil/a.py', '/ws', ['/ws'], posix), { kind: 'outside', absolute: '/ws-evil/a.py' });
  });

  it('treats UNC paths as network paths, also via a UNC cwd', () => {
    assert.ok(isUncPath('\\\\server\\share\\a.py') && isUncPath('//server/share/a.py'));
    assert.ok(!isUncPath('/ws/a.py') && !isUncPath('C:\\ws\\a.py'));
    assert.equal(classifyPath('\\\\server\\share\\a.py', 'C:\\ws', ['C:\\ws'], win).kind, 'unc');
    assert.equal(classifyPath('a.py', '\\\\server\\share', ['C:\\ws'], win).kind, 'unc');
  });

  it('compares Windows paths case-insensitively', () => {
    assert.deepEqual(classifyPath('Agent.py', 'c:\\WS', ['C:\\ws'], win), { kind: 'inside', absolute: 'c:\\WS\\Agent.py' });
    assert.equal(classifyPath('D:\\other\\a.py', 'C:\\ws', ['C:\\ws'], win).kind, 'outside');
    assert.ok(isInside('C:\\ws', 'c:\\ws\\a.py', path.win32, true));
  });

  it('rejects empty and NUL paths, and relative paths with nothing to resolve against', () => {
    assert.equal(classifyPath('', '/ws', ['/ws'], posix).kind, 'invalid');
    assert.equal(classifyPath('a\0b', '/ws', ['/ws'], posix).kind, 'invalid');
    assert.equal(classifyPath('a.py', undefined, [], posix).kind, 'invalid');
    // No workspace folder: even an absolute path is outside, so the user is asked.
    assert.equal(classifyPath('/ws/a.py', undefined, [], posix).kind, 'outside');
  });

  it('names the target of a symbolic link in the "outside the workspace" question (issue 18)', () => {
    const detail = outsideFileDetail('/ws/docs/notes.py', '/home/u/.ssh/config', false);
    assert.ok(detail.startsWith('/home/u/.ssh/config\n'), detail);
    assert.ok(detail.includes('the profile names /ws/docs/notes.py, a symbolic link to it'));
    assert.ok(outsideFileDetail('/etc/x', '/etc/x', false).startsWith('/etc/x\n\nThe profile'), 'no link: the path once');
    assert.ok(outsideFileDetail('//srv/share/a.py', '//srv/share/a.py', true).includes('network path'));
  });
});
