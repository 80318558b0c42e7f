/** The receiver's settings as parseConfig reads them: defaults, 0 for a free port, -1 for no gRPC. */
import { strict as assert } from 'assert';
import { parseConfig } from '../../src/extension/config';

const otlpOf = (values: Record<string, unknown>) => parseConfig((key) => values[key]).otlp;

describe('OTLP receiver settings', () => {
  it('defaults to 127.0.0.1:4318 and gRPC on 4317, enabled', () => {
    assert.deepEqual(otlpOf({}), { enabled: true, port: 4318, grpcPort: 4317 });
  });

  it('reads 0 as a free port, -1 as no gRPC receiver, and false as off', () => {
    assert.deepEqual(otlpOf({ 'otlp.port': 0, 'otlp.grpcPort': -1, 'otlp.enabled': false }), { enabled: false, port: 0, grpcPort: undefined });
  });

  it('falls back to the defaults for values that are no port', () => {
    assert.deepEqual(otlpOf({ 'otlp.port': 70000, 'otlp.grpcPort': 1.5 }), { enabled: true, port: 4318, grpcPort: 4317 });
    assert.deepEqual(otlpOf({ 'otlp.port': -1, 'otlp.grpcPort': '4317' }), { enabled: true, port: 4318, grpcPort: 4317 });
  });
});
