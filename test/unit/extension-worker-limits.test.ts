import * as assert from 'node:assert/strict';
import { workerHeapLimitMb } from '../../src/extension/worker-limits';

const GB = 1024 * 1024 * 1024;

describe('extension analysis worker heap limit', () => {
  it('fits a 512 MiB profile and its model: 256 MB + 512 MiB × 7 bytes of heap per byte', () => {
    // 256 + 3 584 = 3 840 MB, on a machine with room for it (half of 16 GB is 8 192 MB).
    assert.equal(workerHeapLimitMb(16 * GB), 3840);
  });

  it('takes at most half the machine\'s memory, and never less than 512 MB', () => {
    // 4 GB machine: half is 2 048 MB, below the 3 840 wanted.
    assert.equal(workerHeapLimitMb(4 * GB), 2048);
    // 512 MB machine: half is 256 MB, raised to the 512 MB floor.
    assert.equal(workerHeapLimitMb(0.5 * GB), 512);
  });
});
