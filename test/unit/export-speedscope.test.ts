import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { exportSpeedscope, SPEEDSCOPE_SCHEMA } from '../../src/core/export/speedscope';
import type { Profile } from '../../src/core/model';
import { parseJsonl } from '../../src/ingest/jsonl';
import { makeProfile } from './helpers/profile-fixtures';
import { randomProfile } from './helpers/random-profile';

interface SsEvent {
  type: 'O' | 'C';
  frame: number;
  at: number;
}
interface SsFile {
  $schema: string;
  name: string;
  exporter: string;
  shared: { frames: Array<{ name: string; file?: string; line?: number }> };
  profiles: Array<{ type: string; name: string; unit: string; startValue: number; endValue: number; events: SsEvent[] }>;
}

/**
 * What speedscope's evented importer demands: times never go back, every close matches the frame
 * on top of the stack, nothing stays open; and here, every span opens exactly once.
 */
function checkWellFormed(file: SsFile, profile: Profile): void {
  assert.equal(file.$schema, SPEEDSCOPE_SCHEMA);
  let opens = 0;
  for (const p of file.profiles) {
    assert.equal(p.type, 'evented');
    assert.equal(p.unit, 'nanoseconds');
    assert.ok(p.endValue >= p.startValue);
    const stack: number[] = [];
    let last = -Infinity;
    for (const e of p.events) {
      assert.ok(e.at >= last, `${p.name}: time goes back at ${e.at}`);
      assert.ok(e.at >= p.startValue && e.at <= p.endValue, `${p.name}: ${e.at} outside the profile`);
      last = e.at;
      assert.ok(e.frame >= 0 && e.frame < file.shared.frames.length);
      if (e.type === 'O') {
        stack.push(e.frame);
        opens++;
      } else assert.equal(stack.pop(), e.frame, `${p.name}: close of frame ${e.frame} at ${e.at} does not match the open frame`);
    }
    assert.equal(stack.length, 0, `${p.name}: frames left open`);
  }
  assert.equal(opens, profile.spans.length, 'every span opens once');
}

describe('speedscope export', () => {
  it('writes the native fixture as balanced evented profiles, one per lane', () => {
    const profile = parseJsonl(fs.readFileSync(path.join(__dirname, '../fixtures/native/sample.agentprof.jsonl')));
    const file = JSON.parse(exportSpeedscope(profile, { exporter: 'agentprof test' })) as SsFile;
    checkWellFormed(file, profile);
    assert.equal(file.name, 'research_agent');
    assert.equal(file.exporter, 'agentprof test');
    assert.deepEqual(file.profiles.map((p) => p.name), ['MainThread', 'MainThread (2)', 'worker-1']);
    assert.deepEqual([file.profiles[0].startValue, file.profiles[0].endValue], [0, 9_120_000_000]);
    // Frames are shared: the two llm:planning calls (same name and site) are one frame.
    assert.equal(file.shared.frames.filter((f) => f.name === 'llm:planning').length, 1);
    assert.equal(file.shared.frames.length, 10);
    const frameName = (e: SsEvent) => file.shared.frames[e.frame].name;
    // step_2 overlaps step_1 (1.512 s < 2.523 s), so it and its child have a lane of their own.
    assert.deepEqual(
      file.profiles[1].events.map((e) => [e.type, frameName(e), e.at]),
      [
        ['O', 'step_2:tool_call', 1_512_000_000],
        ['O', 'retrieval:http_get', 1_520_000_000],
        ['C', 'retrieval:http_get', 2_590_000_000],
        ['C', 'step_2:tool_call', 2_600_000_000],
      ],
    );
    assert.deepEqual(file.shared.frames.find((f) => f.name === 'tool:calculator'), { name: 'tool:calculator', file: 'tools.py', line: 30 });
  });

  it('closes spans still open at the run\'s last time and keeps overlapping siblings well nested', () => {
    const profile = makeProfile([
      { id: 1, name: 'agent:run', start: 0 }, // never ended
      { id: 2, parent: 1, name: 'tool:a', start: 10, end: 50 },
      { id: 3, parent: 1, name: 'tool:b', start: 20, end: 40 }, // inside a's time, but a's sibling
      { id: 4, parent: 1, name: 'tool:c', start: 45, end: 90 }, // overlaps a's end
    ]);
    const file = JSON.parse(exportSpeedscope(profile)) as SsFile;
    checkWellFormed(file, profile);
    const lanes = file.profiles.map((p) => p.events.map((e) => `${e.type} ${file.shared.frames[e.frame].name} ${e.at / 1e6}`));
    // Lane 1: the run and tool:a; tool:b and tool:c cannot sit inside tool:a: a second lane, which
    // b leaves (at 40) before c needs it (at 45). The open agent:run closes at the last time, 90 ms.
    assert.deepEqual(lanes, [
      ['O agent:run 0', 'O tool:a 10', 'C tool:a 50', 'C agent:run 90'],
      ['O tool:b 20', 'C tool:b 40', 'O tool:c 45', 'C tool:c 90'],
    ]);
  });

  it('is well formed for random trees (property)', () => {
    fc.assert(
      fc.property(randomProfile, (profile) => {
        checkWellFormed(JSON.parse(exportSpeedscope(profile)) as SsFile, profile);
      }),
      { numRuns: 150 },
    );
  });
});
