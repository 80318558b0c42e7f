import { strict as assert } from 'assert';
import * as path from 'path';
import { agentEnvironment, defaultProfilePath, runNameOf, utcStamp } from '../../src/io/agent-env';

describe('agent environment', () => {
  it('stamps UTC times sortably', () => {
    assert.equal(utcStamp(new Date(Date.UTC(2026, 10, 23, 12, 15, 0, 123))), '20261123T121500Z');
  });

  it('puts the profile under .agentprof with a safe name', () => {
    const p = defaultProfilePath('/w', 'my agent;rm -rf', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
    assert.equal(p, path.join('/w', '.agentprof', '20260102T030405Z-my_agent_rm_-rf.agentprof.jsonl'));
  });

  it('sets AGENTPROF_OUT and prepends the recorder to PYTHONPATH', () => {
    const env = agentEnvironment({ PATH: '/bin', PYTHONPATH: '/mine' }, '/w/out.jsonl', '/ext/recorders/python');
    assert.equal(env.AGENTPROF_OUT, '/w/out.jsonl');
    assert.equal(env.PYTHONPATH, `/ext/recorders/python${path.delimiter}/mine`);
    assert.equal(env.PATH, '/bin');
    const bare = agentEnvironment({}, '/o', '/r');
    assert.equal(bare.PYTHONPATH, '/r');
  });

  it('names a run after its script', () => {
    assert.equal(runNameOf(['python3', '-u', 'examples/agent.py', '--fast']), 'agent');
    assert.equal(runNameOf(['./run-agent']), 'run-agent');
  });
});
