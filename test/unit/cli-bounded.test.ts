/**
 * `agentprof report` on a run named like the seed chapter (a distinct name per step), as a child
 * process: the default `--json` groups the names and stays small, `--limit` and `--full` change
 * how much is printed, `--no-group-names` keeps the names apart.
 */
import { strict as assert } from 'assert';
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeSeedRun } from '../../bench/seed-run';
import { BuiltCli } from '../fixtures/hostile/cli-harness';

interface Row {
  name: string;
  count: number;
  instances?: Array<{ name: string; count: number }>;
  more_instance_spans?: number;
}
interface Report {
  limit: number | null;
  totals: Record<string, number>;
  timing: Array<{ category: string; count: number }>;
  timing_by_name: Row[];
  critical_path: Array<{ name: string; start_ms: number; end_ms: number; folded_segments?: number; names?: Array<{ name: string; segments: number }> }>;
  bottlenecks: Array<{ kind: string; component: string; span_ids: unknown[]; span_count: number }>;
}

const STEPS = 2000;

describe('CLI report on a seed-named run (bounded output, grouped names)', function () {
  this.timeout(120_000);
  let cli: BuiltCli;
  let tmp: string;
  let file: string;
  before(() => {
    cli = new BuiltCli();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'agentprof-cli-bounded-'));
    file = path.join(tmp, 'seed.otlp.jsonl');
    assert.equal(writeSeedRun(STEPS, file), 3 * STEPS + 4);
  });
  after(() => {
    cli.dispose();
    rmSync(tmp, { recursive: true, force: true });
  });

  const report = async (...flags: string[]): Promise<{ doc: Report; bytes: number }> => {
    const r = await cli.run(['report', '--json', ...flags, file]);
    assert.equal(r.code, 0, r.stderr);
    return { doc: JSON.parse(r.stdout) as Report, bytes: Buffer.byteLength(r.stdout) };
  };

  it('groups step names into templates, lists instances under them and folds the critical path', async () => {
    const { doc, bytes } = await report();
    assert.equal(doc.limit, 50);
    // agent_run, input_processing, llm:planning, response_generation and the three step templates.
    assert.equal(doc.totals.timing_by_name, 7);
    const llm = doc.timing_by_name.find((r) => r.name === 'step_{n}:llm_call')!;
    assert.equal(llm.count, STEPS);
    assert.equal(llm.instances!.length, 5);
    assert.equal(llm.more_instance_spans, STEPS - 5);
    // The seed's durations: 100 + (i mod 7) × 30 ms, longest at i mod 7 = 6: steps 6, 13, 20, 27, 34
    // are the first five of them (ties keep the earlier span); each name is one span.
    assert.deepEqual(llm.instances!.map((i) => `${i.name} ${i.count}`), ['step_13:llm_call 1', 'step_20:llm_call 1', 'step_27:llm_call 1', 'step_34:llm_call 1', 'step_6:llm_call 1']);
    // Categories: agent_run, input_processing, llm, response_generation, step_{n}, and tool: the
    // tool calls carry gen_ai.operation.name = execute_tool, which decides before the name's prefix.
    assert.deepEqual(doc.timing.map((c) => c.category).sort(), ['agent_run', 'input_processing', 'llm', 'response_generation', 'step_{n}', 'tool']);
    // Every step is a sliver of the run: one folded stretch between the kept first and last segments.
    const folded = doc.critical_path.filter((s) => s.folded_segments);
    assert.equal(folded.length, 1);
    assert.deepEqual(folded[0].names!.map((n) => `${n.name} ${n.segments}`), [
      `step_{n}:llm_call ${STEPS}`,
      `step_{n}:tool_call ${STEPS}`,
      `step_{n}:execution ${STEPS}`,
    ]);
    assert.equal(doc.totals.critical_path_segments, doc.critical_path.reduce((n, s) => n + (s.folded_segments ?? 1), 0));
    // many_calls fires once per template, not once per step.
    assert.deepEqual(doc.bottlenecks.filter((b) => b.kind === 'many_calls').map((b) => b.component).sort(), [
      'step_{n}:execution',
      'step_{n}:llm_call',
      'step_{n}:tool_call',
    ]);
    for (const b of doc.bottlenecks) assert.ok(b.span_ids.length <= 50 && b.span_count >= b.span_ids.length);
    assert.ok(bytes < 64 * 1024, `${bytes} bytes`);
  });

  it('prints everything with --full, N rows with --limit N, and every name apart with --no-group-names', async () => {
    const full = await report('--full');
    assert.equal(full.doc.limit, null);
    assert.equal(full.doc.critical_path.length, full.doc.totals.critical_path_segments);
    assert.ok(full.doc.critical_path.every((s) => s.folded_segments === undefined));
    const two = await report('--limit', '2');
    assert.equal(two.doc.timing_by_name.length, 2);
    assert.equal(two.doc.totals.timing_by_name, 7);
    const apart = await report('--no-group-names', '--limit', '3');
    assert.equal(apart.doc.totals.timing_by_name, 4 + 3 * STEPS);
    assert.equal(apart.doc.timing_by_name.length, 3);
    assert.equal(apart.doc.timing_by_name[0].instances, undefined);
    assert.equal(apart.doc.timing_by_name[0].more_instance_spans, undefined);
    const bad = await cli.run(['report', '--json', '--limit', '0', file]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--limit takes a number of rows/);
  });
});
