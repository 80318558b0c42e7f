import { strict as assert } from 'assert';
import * as path from 'path';
import { agentEnvironment, defaultProfilePath, otlpEnvironment, runNameOf, utcStamp } from '../../src/io/agent-env';

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

describe('OTLP environment of a profiled run', () => {
  it('points the SDK at the run endpoint over OTLP/HTTP protobuf, with a short batch delay', () => {
    assert.deepEqual(otlpEnvironment({ PATH: '/bin' }, 'http://127.0.0.1:4318/runs/r1'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/runs/r1',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/runs/r1/v1/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      OTEL_BSP_SCHEDULE_DELAY: '500',
    });
  });

  it('leaves a user-chosen endpoint, protocol and delay alone', () => {
    assert.deepEqual(otlpEnvironment({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector:4318/v1/traces' }, 'http://127.0.0.1:1'), {});
    assert.deepEqual(otlpEnvironment({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '5000' }, 'http://127.0.0.1:1'), {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:1/v1/traces',
    });
  });

  it('sends a user who chose gRPC to the gRPC port, or leaves them alone when it is off', () => {
    const grpc = 'http://127.0.0.1:4317';
    assert.deepEqual(otlpEnvironment({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }, 'http://127.0.0.1:1', grpc), {
      OTEL_EXPORTER_OTLP_ENDPOINT: grpc,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: grpc,
    });
    assert.deepEqual(otlpEnvironment({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'http://127.0.0.1:1'), {});
  });
});
