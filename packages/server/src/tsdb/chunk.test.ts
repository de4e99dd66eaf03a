import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeChunk, decodeChunkInto, encodeChunk, ChunkEncoder } from './chunk.ts';
import { cellStats, MAX_CELL_BYTES } from './cell-slab.ts';
import { isStaleNaN, staleNaN, type Sample } from './model.ts';

const view = new DataView(new ArrayBuffer(8));
function bits(v: number): bigint {
  view.setFloat64(0, v);
  return view.getBigUint64(0);
}
function fromBits(b: bigint): number {
  view.setBigUint64(0, b);
  return view.getFloat64(0);
}

/** Deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function assertRoundTrip(samples: Sample[]): Uint8Array {
  const { data, count } = encodeChunk(samples);
  assert.equal(count, samples.length);
  const back = decodeChunk(data, count);
  assert.equal(back.length, samples.length);
  for (let i = 0; i < samples.length; i++) {
    assert.equal(back[i].t, samples[i].t, `t at ${i}`);
    assert.equal(bits(back[i].v), bits(samples[i].v), `value bits at ${i}: ${samples[i].v}`);
  }
  return data;
}

test('regular 15 s counter compresses to well under 2 bytes per sample', () => {
  const samples: Sample[] = [];
  let v = 1000;
  for (let i = 0; i < 120; i++) {
    v += Math.floor(i * 7.3) % 13;
    samples.push({ t: 1_700_000_000_000 + i * 15_000, v });
  }
  const data = assertRoundTrip(samples);
  assert.ok(data.length / 120 < 2, `${data.length / 120} bytes per sample`);
});

test('special values keep their exact bits: staleNaN, NaN, ±Inf, -0, denormals, extremes', () => {
  // Bit patterns, not numbers: V8 canonicalises NaNs stored in a plain
  // number[] (double elements), which would lose the staleness marker.
  const specials: bigint[] = [
    0x7ff0000000000002n, // staleNaN
    bits(NaN),
    0x7ff8000000000001n,
    0xfff0000000000001n,
    bits(Infinity),
    bits(-Infinity),
    bits(-0),
    0n,
    1n, // smallest denormal
    0x8000000000000001n,
    bits(Number.MAX_VALUE),
    bits(-Number.MAX_VALUE),
    bits(1),
    bits(-1),
    bits(0.1),
  ];
  const samples: Sample[] = specials.map((b, i) => ({ t: i * 1000, v: fromBits(b) }));
  assert.ok(isStaleNaN(samples[0].v));
  assertRoundTrip(samples);
  assertRoundTrip([...samples].reverse().map((s, i) => ({ t: i, v: s.v })));
  const back = decodeChunk(encodeChunk(samples).data, samples.length);
  assert.ok(isStaleNaN(back[0].v));
  assert.ok(!isStaleNaN(back[1].v) && Number.isNaN(back[1].v));
  assert.ok(Object.is(back[6].v, -0));
});

test('irregular timestamps, every dod bucket boundary, large gaps and negative times', () => {
  const deltas = [
    0, 1, 8192, 8193, -8191 + 8193, 65536, 65537, 524288, 524289, 1, 2 ** 40, 1, 3, 2 ** 45, 7, 86_400_000, 15_000,
  ];
  const samples: Sample[] = [];
  let t = -5_000_000;
  for (const d of deltas) {
    t += d === 0 ? 1 : d;
    samples.push({ t, v: t / 3 });
  }
  assertRoundTrip(samples);
  // Deltas that go down by exactly the bucket edges.
  const edges = [20000, 20000 - 8191, 20000 - 8191 + 8192, 100, 100 + 65536, 100, 100 + 524288, 100, 600000];
  t = 0;
  assertRoundTrip(edges.map((d) => ({ t: (t += d), v: 1 })));
  // Timestamps near the limits of exact integers.
  assertRoundTrip([
    { t: -(2 ** 52), v: 1 },
    { t: 0, v: 2 },
    { t: 2 ** 52, v: 3 },
    { t: 2 ** 53 - 1, v: 4 },
  ]);
});

test('random values and timestamps round-trip exactly (property)', () => {
  const rand = rng(42);
  for (let round = 0; round < 300; round++) {
    const n = 1 + Math.floor(rand() * 200);
    const samples: Sample[] = [];
    let t = Math.floor((rand() - 0.5) * 2 ** 44);
    let v = rand() * 1000;
    for (let i = 0; i < n; i++) {
      const kind = rand();
      if (kind < 0.05) t += 1 + Math.floor(rand() * 2 ** 40);
      else if (kind < 0.6) t += 15_000;
      else t += 1 + Math.floor(rand() * 100_000);
      const vk = rand();
      if (vk < 0.3) v += Math.floor(rand() * 10);
      else if (vk < 0.5) v = rand() * 10 ** Math.floor(rand() * 20 - 10);
      else if (vk < 0.55) v = fromBits(BigInt.asUintN(64, BigInt(Math.floor(rand() * 2 ** 32)) << 32n) | BigInt(Math.floor(rand() * 2 ** 32)));
      else if (vk < 0.6) {
        const k = Math.floor(rand() * 6);
        v = k === 0 ? NaN : k === 1 ? staleNaN() : k === 2 ? Infinity : k === 3 ? -Infinity : k === 4 ? -0 : 0;
      }
      // else keep the value (xor 0)
      samples.push({ t, v });
    }
    assertRoundTrip(samples);
  }
});

test('decodeChunk filters by time range', () => {
  const samples = Array.from({ length: 50 }, (_, i) => ({ t: i * 10, v: i }));
  const { data, count } = encodeChunk(samples);
  const got = decodeChunk(data, count, [], 100, 200);
  assert.deepEqual(
    got.map((s) => s.t),
    samples.filter((s) => s.t >= 100 && s.t <= 200).map((s) => s.t),
  );
});

test('decodeChunkInto appends in range into columns after what is there, bits kept', () => {
  const first = encodeChunk([{ t: 0, v: 1 }, { t: 10, v: 2 }]);
  const second = encodeChunk(Array.from({ length: 30 }, (_, i) => ({ t: 100 + i * 10, v: i === 5 ? staleNaN() : i === 6 ? -0 : i })));
  const cols = { t: new Float64Array(32).fill(-1), v: new Float64Array(32).fill(-1) };
  let n = decodeChunkInto(first.data, first.count, cols, 0);
  assert.equal(n, 2);
  n = decodeChunkInto(second.data, second.count, cols, n, 150, 200);
  assert.equal(n, 2 + 6);
  assert.deepEqual([...cols.t.subarray(0, n)], [0, 10, 150, 160, 170, 180, 190, 200]);
  assert.ok(isStaleNaN(cols.v[2]));
  assert.ok(Object.is(cols.v[3], -0));
  assert.deepEqual([...cols.v.subarray(4, n)], [7, 8, 9, 10]);
  assert.equal(cols.t[n], -1, 'nothing written past the end');
  assert.equal(decodeChunkInto(second.data, second.count, cols, 3, 1000), 3, 'nothing in range');
});

test('an encoder can be read at any point (the head writes its open chunk after each append)', () => {
  const enc = new ChunkEncoder();
  const samples: Sample[] = [];
  for (let i = 0; i < 120; i++) {
    const s = { t: i * 15_000 + (i % 3), v: Math.sin(i) };
    samples.push(s);
    enc.append(s.t, s.v);
    const back = decodeChunk(enc.bytes().slice(), enc.count);
    assert.equal(back.length, i + 1);
    assert.equal(bits(back[i].v), bits(s.v));
    assert.equal(back[i].t, s.t);
  }
  assert.equal(enc.minT, 0);
  assert.equal(enc.maxT, samples[119].t);
});

test('after an outlier such as a staleness marker, the value window narrows again', () => {
  // A counter interrupted by one stale marker: the marker's XOR needs a window of almost 64 bits.
  const samples: Sample[] = Array.from({ length: 1440 }, (_, i) => ({ t: i * 15_000, v: i === 10 ? staleNaN() : 1_000_000 + i * 3 }));
  const data = assertRoundTrip(samples);
  // Keeping the wide window (Prometheus' rule) costs 8 bytes a sample from then on: 11,474 bytes here.
  assert.ok(data.length < 3000, `${data.length} bytes`);
});

test('encoders growing side by side (as the head does) keep their bytes apart, exactly', () => {
  // Values of every kind, so the encoders move through all cell sizes at different times.
  const next = rng(7);
  const value = (s: number, i: number): number =>
    i % 17 === 5 ? staleNaN() : s % 3 === 0 ? next() * 1e6 : s % 3 === 1 ? -0 : 1000 + i * s;
  const encoders = Array.from({ length: 50 }, () => new ChunkEncoder());
  const expected: Sample[][] = encoders.map(() => []);
  for (let i = 0; i < 600; i++) {
    encoders.forEach((enc, s) => {
      const sample = { t: i * 15_000 + (s % 2 ? i % 5 : 0), v: value(s, i) };
      enc.append(sample.t, sample.v);
      expected[s].push(sample);
    });
  }
  encoders.forEach((enc, s) => {
    const back = decodeChunk(enc.bytes(), enc.count);
    assert.equal(back.length, 600);
    for (let i = 0; i < back.length; i++) {
      assert.equal(back[i].t, expected[s][i].t, `series ${s} t at ${i}`);
      assert.equal(bits(back[i].v), bits(expected[s][i].v), `series ${s} value bits at ${i}`);
    }
    enc.release();
  });
});

test('release() gives the cell back and leaves an encoder that encodes as a new one', () => {
  const before = cellStats().cellsInUse;
  const enc = new ChunkEncoder();
  assert.equal(cellStats().cellsInUse, before, 'no cell before the first sample');
  for (let i = 0; i < 200; i++) enc.append(i * 1000, Math.sqrt(i));
  assert.equal(cellStats().cellsInUse, before + 1, 'one cell however far it grew');
  enc.release();
  assert.equal(cellStats().cellsInUse, before);
  assert.equal(enc.count, 0);
  assert.equal(enc.bytes().length, 0);
  const samples = Array.from({ length: 30 }, (_, i) => ({ t: 5_000 + i * 10, v: i === 3 ? staleNaN() : i * 0.1 }));
  for (const s of samples) enc.append(s.t, s.v);
  assert.deepEqual(enc.bytes(), encodeChunk(samples).data);
  assert.equal(enc.minT, 5_000);
  enc.release();
  enc.release(); // twice is harmless
  assert.equal(cellStats().cellsInUse, before);
});

test('clear() keeps a well-filled cell for the next chunk and gives back one mostly empty', () => {
  const before = cellStats().cellsInUse;
  const enc = new ChunkEncoder();
  for (let i = 0; i < 120; i++) enc.append(i * 15_000, Math.sin(i));
  const full = enc.bytes();
  enc.clear();
  assert.equal(enc.count, 0);
  assert.equal(enc.bytes().length, 0);
  const samples = Array.from({ length: 120 }, (_, i) => ({ t: 2e9 + i * 15_000, v: i === 7 ? staleNaN() : Math.cos(i) }));
  enc.append(samples[0].t, samples[0].v);
  assert.equal(enc.bytes().buffer, full.buffer, 'the same cell');
  assert.equal(enc.bytes().byteOffset, full.byteOffset, 'the same cell');
  for (const s of samples.slice(1)) enc.append(s.t, s.v);
  assert.deepEqual(enc.bytes(), encodeChunk(samples).data, 'encodes as a new encoder, no bits left over');
  assert.equal(cellStats().cellsInUse, before + 1);

  // A short chunk after a long one (a cut at a day boundary): the large cell goes back.
  enc.clear();
  enc.append(0, 1);
  const small = enc.bytes();
  enc.clear();
  assert.equal(cellStats().cellsInUse, before, 'a mostly empty cell is given back');
  enc.append(0, 1);
  assert.deepEqual(enc.bytes(), small);
  enc.release();
  assert.equal(cellStats().cellsInUse, before);
});

test('a chunk past the largest cell size moves to a buffer of its own and still round-trips', () => {
  const before = cellStats().cellsInUse;
  const next = rng(3);
  // Random doubles and jittered times: about 10 bytes a sample, so 1440 samples pass MAX_CELL_BYTES.
  const samples = Array.from({ length: 1440 }, (_, i) => ({ t: i * 15_000 + Math.floor(next() * 100_000), v: next() }));
  const enc = new ChunkEncoder();
  for (const s of samples) enc.append(s.t, s.v);
  assert.ok(enc.bytes().length > MAX_CELL_BYTES, `${enc.bytes().length} bytes`);
  assert.equal(cellStats().cellsInUse, before, 'the cell was given back when it moved');
  const back = decodeChunk(enc.bytes(), enc.count);
  for (let i = 0; i < samples.length; i++) {
    assert.equal(back[i].t, samples[i].t);
    assert.equal(bits(back[i].v), bits(samples[i].v));
  }
  enc.release();
});

test('an encoder that forgets its stored bytes at any points appends the same stream', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.double({ noNaN: false }), fc.boolean()), { minLength: 1, maxLength: 120 }),
      (steps) => {
        const whole = new ChunkEncoder();
        const forgetting = new ChunkEncoder();
        let stored: Uint8Array = new Uint8Array(0); // what head_chunks would hold: the stored prefix, then the held bytes
        let t = 1_700_000_000_000;
        for (const [dt, v, flush] of steps) {
          t += dt;
          whole.append(t, v);
          forgetting.append(t, v);
          if (!flush) continue;
          stored = concat(stored.subarray(0, forgetting.forgottenBytes), forgetting.heldBytes());
          forgetting.forgetStored();
        }
        const assembled = concat(stored.subarray(0, forgetting.forgottenBytes), forgetting.heldBytes());
        assert.deepEqual(assembled, whole.bytes());
        whole.release();
        forgetting.release();
      },
    ),
  );
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
