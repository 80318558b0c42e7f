/**
 * Incremental = batch, on a real file: a random profile (with garbage lines and, at times, a
 * second run's header) is appended to a file in random chunks, with polls of one ProfileTail in
 * between at random; at the end the tail's model must equal parseJsonl of the whole file.
 * ingest-jsonl-split.test.ts proves the same for JsonlIngest fed from memory; this adds the file
 * reads, the read-size cap per call, and the tail's restart handling.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Profile } from '../../src/core/model';
import { parseJsonl } from '../../src/ingest/jsonl';
import { ProfileTail } from '../../src/io/profile-file';
import { randomProfile } from '../fixtures/hostile/random-profile';

const NOISE = ['garbage', '{"t":"x","y":1}', '{"t":"s","id":-1,"n":"bad","at":1}', '[1,2]', '', '{"t":"e","id":"nope","at":3}'];
const SECOND_RUN = '{"t":"run","v":1,"name":"second","start":"1763900001000000000","pid":2,"argv":[],"cwd":"/w","recorder":"prop/0"}';

/** Diagnostics in a stable order (a live model lists orphan warnings from the poll that saw them). */
const sortedDiagnostics = (p: Profile) => [...p.diagnostics].sort((a, b) => a.line - b.line || a.message.localeCompare(b.message));

describe('ProfileTail: incremental equals batch at arbitrary splits of a real file', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'agentprof-prop-tail-'));
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('same spans, usage, budgets, run and diagnostics', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        randomProfile(25),
        fc.array(fc.record({ at: fc.nat(), text: fc.constantFrom(...NOISE) }), { maxLength: 4 }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.array(fc.record({ cut: fc.nat(), poll: fc.boolean() }), { maxLength: 12 }),
        fc.constantFrom(1, 7, 64, 4096),
        async ({ text }, noise, restartAt, cuts, chunkBytes) => {
          // Inserted after the header and before the final newline: a recorder writes whole lines.
          // (A new run's header as an unterminated last line is not followed by endOfInput(); see
          // docs/reliability.md.)
          const lines = text.split('\n');
          for (const { at, text: extra } of noise) lines.splice(1 + (at % (lines.length - 1)), 0, extra);
          if (restartAt !== undefined) lines.splice(1 + (restartAt % (lines.length - 1)), 0, SECOND_RUN);
          const bytes = Buffer.from(lines.join('\n'));
          const file = path.join(dir, `run-${n++}.agentprof.jsonl`);
          await fs.writeFile(file, '');
          const tail = new ProfileTail(file, { chunkBytes });
          const points = [...new Set(cuts.map((c) => c.cut % (bytes.length + 1)))].sort((a, b) => a - b);
          let from = 0;
          for (const [k, point] of [...points, bytes.length].entries()) {
            await fs.appendFile(file, bytes.subarray(from, point));
            from = point;
            if (cuts[k]?.poll ?? true) await tail.poll();
          }
          await tail.poll();
          tail.endOfInput();
          const live = tail.profile;
          const batch = parseJsonl(bytes);
          assert.deepStrictEqual(live.spans, batch.spans);
          assert.deepStrictEqual(live.usage, batch.usage);
          assert.deepStrictEqual(live.budgets, batch.budgets);
          assert.deepStrictEqual(live.run, batch.run);
          assert.deepStrictEqual(sortedDiagnostics(live), sortedDiagnostics(batch));
          await fs.rm(file);
        },
      ),
      { numRuns: 60 },
    );
  });
});
