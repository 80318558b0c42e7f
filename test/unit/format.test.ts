import { strict as assert } from 'assert';
import { formatChangePct, formatCount, formatMs, formatShare, formatUsd } from '../../src/core/format';

describe('format', () => {
  it('formats durations by magnitude', () => {
    assert.equal(formatMs(0.4213), '0.42 ms');
    assert.equal(formatMs(812.4), '812 ms');
    assert.equal(formatMs(1234), '1.23 s');
    assert.equal(formatMs(12_345), '12.3 s');
    assert.equal(formatMs(123_000), '2 m 03 s'); // 123 s = 2 min 3 s
    assert.equal(formatMs(2 * 3600_000 + 5 * 60_000), '2 h 05 m');
    assert.equal(formatMs(NaN), '–');
  });

  it('formats money with enough digits for fractions of a cent', () => {
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.00004), '<$0.0001');
    assert.equal(formatUsd(0.0123456), '$0.0123');
    assert.equal(formatUsd(1.234), '$1.23');
    assert.equal(formatUsd(1234.4), '$1,234');
    assert.equal(formatUsd(-0.5), '-$0.5000');
  });

  it('formats counts, shares and changes', () => {
    assert.equal(formatCount(1234567), '1,234,567');
    assert.equal(formatCount(12_345_678), '12.3 M');
    assert.equal(formatShare(0.4123), '41 %');
    // Whole percent from 1 % up, so 7 % reads like the 40 % beside it; a decimal below 1 %.
    assert.equal(formatShare(0.0412), '4 %');
    assert.equal(formatShare(0.07), '7 %');
    assert.equal(formatShare(0.004), '0.4 %');
    assert.equal(formatChangePct(12.345), '+12.3 %');
    assert.equal(formatChangePct(-5), '-5.0 %');
    assert.equal(formatChangePct(undefined), '–');
  });
});
