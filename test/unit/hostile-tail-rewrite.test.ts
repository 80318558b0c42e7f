/**
 * A profile rewritten in place between two polls, keeping its header line and its last 64 bytes
 * (a recorder writing the same run header again, ending the same way), and then appended to: the
 * tail must notice and read it anew, not append the new lines to a model of the old content.
 */
import { strict as assert } from 'assert';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ProfileTail } from '../../src/io/profile-file';

const HEADER = '{"t":"run","v":1,"name":"same","start":"1763900000000000000","cwd":"/w","argv":["a"]}\n';

/** 200 spans named `tool:<letter>` with times from `base` (same digit count for every base used). */
function body(letter: string, base: number): string {
  let text = '';
  for (let i = 1; i <= 200; i++) text += `{"t":"s","id":${i},"n":"tool:${letter}","at":${base + i * 10}}\n{"t":"e","id":${i},"at":${base + i * 10 + 5}}\n`;
  return text;
}
/** The same last line in both versions: more than the 64 bytes the end probe keeps. */
const ENDING = '{"t":"s","id":999,"n":"final:step-that-ends-both-versions-the-same-way","at":9999999}\n';

describe('tail: in-place rewrite keeping the header and the last 64 bytes', () => {
  let tmp: string;
  before(() => (tmp = mkdtempSync(path.join(os.tmpdir(), 'agentprof-rewrite-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('is noticed and read anew (20 tails, each with its own random samples)', async () => {
    for (let round = 0; round < 20; round++) {
      const file = path.join(tmp, `run-${round}.agentprof.jsonl`);
      const before = HEADER + body('a', 1_000_000) + ENDING;
      writeFileSync(file, before);
      const tail = new ProfileTail(file, { chunkBytes: 1024 });
      await tail.poll();
      assert.equal(tail.profile.spans[0].name, 'tool:a');

      const after = HEADER + body('b', 2_000_000) + ENDING;
      assert.equal(after.length, before.length, 'same length, same header, same end');
      writeFileSync(file, after); // truncates and rewrites: same inode
      appendFileSync(file, '{"t":"e","id":999,"at":9999999}\n');
      const polled = await tail.poll();
      assert.equal(polled.reset, true, `round ${round}: not noticed`);
      assert.equal(tail.profile.spans[0].name, 'tool:b');
      assert.equal(tail.profile.spans.length, 201);
    }
  });

  it('plain appends are never taken for a rewrite', async () => {
    const file = path.join(tmp, 'append.agentprof.jsonl');
    writeFileSync(file, HEADER);
    const tail = new ProfileTail(file, { chunkBytes: 512 });
    for (let k = 0; k < 30; k++) {
      appendFileSync(file, `{"t":"s","id":${k + 1},"n":"tool:a","at":${k * 10}}\n{"t":"e","id":${k + 1},"at":${k * 10 + 5}}\n`);
      const polled = await tail.poll();
      assert.equal(polled.reset, false, `poll ${k}`);
    }
    assert.equal(tail.profile.spans.length, 30);
  });
});
