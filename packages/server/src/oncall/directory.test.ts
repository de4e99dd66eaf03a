import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oncallConfigSchema } from './config.ts';
import { createDirectory } from './directory.ts';

const config = oncallConfigSchema.parse({
  people: [
    { id: 'ana', name: 'Ana', phone: '+14155550101', time_zone: 'UTC' },
    { id: 'ben', name: 'Ben', time_zone: 'UTC' },
    { id: 'eve', name: 'Eve', time_zone: 'UTC' },
  ],
  teams: [{ id: 'leads', name: 'Leads', members: ['eve', 'ana'] }],
  schedules: [
    {
      id: 'primary',
      name: 'Primary',
      time_zone: 'UTC',
      layers: [{ name: 'day', participants: ['ana', 'ben'], start: '2026-05-04T09:00', rotation: { length: '1d' } }],
    },
  ],
});

test('a schedule target is whoever is on call at that time; a team is its members; a person is themselves', () => {
  const directory = createDirectory(config);
  assert.deepEqual(directory.resolve({ schedule: 'primary' }, Date.parse('2026-05-04T10:00:00Z')), ['ana']);
  assert.deepEqual(directory.resolve({ schedule: 'primary' }, Date.parse('2026-05-05T10:00:00Z')), ['ben']);
  assert.deepEqual(directory.resolve({ schedule: 'primary' }, Date.parse('2026-05-04T08:00:00Z')), [], 'before the layer starts');
  assert.deepEqual(directory.resolve({ team: 'leads' }, 0), ['eve', 'ana']);
  assert.deepEqual(directory.resolve({ person: 'ben' }, 0), ['ben']);
  assert.deepEqual(directory.resolve({ person: 'nobody' }, 0), []);
  assert.equal(directory.person('ana')?.phone, '+14155550101');
  assert.equal(directory.person('nobody'), undefined);
});
