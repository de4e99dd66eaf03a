import assert from 'node:assert/strict';
import { test } from 'node:test';
import { naturalLess } from './natsort.ts';

test('naturalLess compares digit runs as integers and the rest bytewise, as facette/natsort', () => {
  const sorted = ['cpu10', 'a', 'B', 'cpu2', '1.111.3', '1.2.3', '4m600', '4m5', '_x'].sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
  assert.deepEqual(sorted, ['1.2.3', '1.111.3', '4m5', '4m600', 'B', '_x', 'a', 'cpu2', 'cpu10']);
  // Upstream's quirk: equal chunks to the end of the first string make it precede.
  assert.ok(naturalLess('01', '1') && naturalLess('1', '01'));
  assert.ok(naturalLess('a', 'ab') && !naturalLess('ab', 'a'));
  // Past int64, Atoi fails and digits compare as text.
  assert.ok(naturalLess('99', '100'));
  assert.ok(!naturalLess('99999999999999999999', '100000000000000000000'));
});
