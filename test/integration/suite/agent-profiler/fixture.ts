/**
 * A small instrumented "agent" and its profile, written into the open workspace so the extension
 * finds them like real files. Lines are fixed: tests assert on them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** 0-based lines of the timer calls in it_agent.py. */
export const PLANNING_LINE = 4;
export const STEP_LINE = 9;
/** 0-based line of the garbage line in the profile. */
export const GARBAGE_LINE = 12;

const AGENT = [
  'from agentprof import PerformanceProfiler',
  'profiler = PerformanceProfiler()',
  '',
  'def plan():',
  '    with profiler.timer("llm:planning"):',
  '        pass',
  '',
  'def steps():',
  '    for i in range(2):',
  '        with profiler.timer(f"step_{i}:tool_call"):',
  '            pass',
  '',
].join('\n');

function profile(dir: string, name: string, slowdown: number): string {
  const s = (ms: number) => Math.round(ms * slowdown * 1e6);
  return [
    JSON.stringify({ t: 'run', v: 1, name, start: '1763900000000000000', cwd: dir }),
    JSON.stringify({ t: 's', id: 1, n: 'llm:planning', at: 0, f: 'it_agent.py', l: PLANNING_LINE + 1 }),
    JSON.stringify({ t: 'u', span: 1, op: 'llm:planning', model: 'gpt-4o', prov: 'openai', in: 1000, out: 200 }),
    JSON.stringify({ t: 'e', id: 1, at: s(4000) }),
    JSON.stringify({ t: 's', id: 2, n: 'llm:planning', at: s(4000), f: 'it_agent.py', l: PLANNING_LINE + 1 }),
    JSON.stringify({ t: 'u', span: 2, op: 'llm:planning', model: 'gpt-4o', prov: 'openai', in: 1000, out: 200 }),
    JSON.stringify({ t: 'e', id: 2, at: s(8000) }),
    JSON.stringify({ t: 's', id: 3, n: 'step_0:tool_call', at: s(8000), f: 'it_agent.py', l: STEP_LINE + 1 }),
    JSON.stringify({ t: 'e', id: 3, at: s(8500) }),
    JSON.stringify({ t: 's', id: 4, n: 'step_1:tool_call', at: s(8500), f: 'it_agent.py', l: STEP_LINE + 1 }),
    JSON.stringify({ t: 'e', id: 4, at: s(9000) }),
    JSON.stringify({ t: 'b', target: 'llm', tokens: 100 }),
    'this line is not json',
    JSON.stringify({ t: 'end', at: s(9000), status: 'ok' }),
    '',
  ].join('\n');
}

export interface Fixture {
  dir: string;
  agent: string;
  profile: string;
  /** A second run of the same agent, 1.5 times slower, for comparisons. */
  slowerProfile: string;
  remove(): void;
}

export function writeFixture(workspace: string): Fixture {
  const dir = fs.mkdtempSync(path.join(workspace, '.agentprof-it-'));
  const agent = path.join(dir, 'it_agent.py');
  const profilePath = path.join(dir, 'it-fixture.agentprof.jsonl');
  const slowerPath = path.join(dir, 'it-fixture-slower.agentprof.jsonl');
  fs.writeFileSync(agent, AGENT);
  fs.writeFileSync(profilePath, profile(dir, 'it-fixture', 1));
  fs.writeFileSync(slowerPath, profile(dir, 'it-fixture-slower', 1.5));
  return { dir, agent, profile: profilePath, slowerProfile: slowerPath, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
