import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseUnixNs, timestampToNs } from './timestamp.ts';

describe('timestampToNs', () => {
  it('matches exact BigInt arithmetic over the whole int64 range', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9223372036, max: 9223372035 }), fc.integer({ min: 0, max: 999_999_999 }), (s, n) => {
        assert.equal(timestampToNs(s, n), BigInt(s) * 1_000_000_000n + BigInt(n));
        assert.equal(timestampToNs(s, 0), BigInt(s) * 1_000_000_000n);
      }),
    );
    assert.equal(timestampToNs(9223372035, 999_999_999), 9223372035999999999n);
    assert.equal(timestampToNs(-9223372036, 0), -9223372036000000000n);
  });

  it('refuses nanos outside 0..999999999 and seconds past int64 ns', () => {
    for (const [s, n] of [[0, -1], [0, 1e9], [9223372036, 0], [-9223372037, 0], [Number.NaN, 0]]) {
      assert.equal(timestampToNs(s, n), undefined, `${s}s ${n}ns`);
    }
  });
});

describe('parseUnixNs', () => {
  it('accepts int64 decimal strings only', () => {
    assert.equal(parseUnixNs('1570818238000000000'), 1570818238000000000n);
    assert.equal(parseUnixNs('-1'), -1n);
    assert.equal(parseUnixNs('9223372036854775807'), 9223372036854775807n);
    for (const bad of ['9223372036854775808', '', '+1', '1.0', '1e3', ' 1', '0x10']) assert.equal(parseUnixNs(bad), undefined, bad);
  });
});
