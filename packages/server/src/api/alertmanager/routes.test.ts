import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../testing/fake-clock.ts';
import { buildTestApi, gettableAlert, STARTED_AT } from './testing.ts';

const NOW = '2026-11-30T12:00:00.000Z';

function setup(t: TestContext) {
  const api = buildTestApi(new FakeClock(Date.parse(NOW)));
  t.after(() => api.close());
  const post = (url: string, body: unknown) =>
    api.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
  return { ...api, post };
}

function silenceBody(overrides: Record<string, unknown> = {}) {
  return {
    matchers: [{ name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true }],
    startsAt: NOW,
    endsAt: '2026-11-30T13:00:00.000Z',
    createdBy: 'ops',
    comment: 'disk swap',
    ...overrides,
  };
}

test('POST /alerts hands valid alerts to the core with Alertmanager defaults and answers 200 with no body', async (t) => {
  const { post, core } = setup(t);
  const response = await post('/api/v2/alerts', [
    { labels: { alertname: 'DiskFull', instance: 'db1' }, annotations: { summary: 'full' }, generatorURL: 'http://prom/graph' },
    { labels: { alertname: 'Resolved' }, endsAt: '2026-11-30T11:00:00Z' },
    { labels: { alertname: 'Started' }, startsAt: '2026-11-30T10:00:00+01:00', endsAt: '0001-01-01T00:00:00Z', extra: 'ignored' },
  ]);
  assert.equal(response.statusCode, 200);
  assert.equal(response.body, '');
  const nowMs = Date.parse(NOW);
  assert.deepEqual(core.received, [
    { labels: { alertname: 'DiskFull', instance: 'db1' }, annotations: { summary: 'full' }, startsAt: nowMs, endsAt: 0, generatorURL: 'http://prom/graph', updatedAt: nowMs },
    { labels: { alertname: 'Resolved' }, annotations: {}, startsAt: Date.parse('2026-11-30T11:00:00Z'), endsAt: Date.parse('2026-11-30T11:00:00Z'), generatorURL: '', updatedAt: nowMs },
    { labels: { alertname: 'Started' }, annotations: {}, startsAt: Date.parse('2026-11-30T09:00:00Z'), endsAt: 0, generatorURL: '', updatedAt: nowMs },
  ]);
});

test('POST /alerts refuses invalid alerts by index and field, keeping the valid ones', async (t) => {
  const { post, core } = setup(t);
  const response = await post('/api/v2/alerts', [
    { labels: { alertname: 'Good' } },
    { labels: { 'bad-name': 'x' } },
    { labels: {} },
    { labels: { alertname: 'Backwards' }, startsAt: '2026-11-30T12:00:00Z', endsAt: '2026-11-30T11:00:00Z' },
    { labels: { alertname: 'BadTime' }, startsAt: 'noon' },
    'not an alert',
  ]);
  assert.equal(response.statusCode, 400);
  assert.match(response.headers['content-type'] as string, /^application\/json/);
  const message = response.json() as string;
  assert.equal(typeof message, 'string');
  assert.match(message, /alerts\[1\]\.labels.*"bad-name" is not a valid label name/);
  assert.match(message, /alerts\[2\]\.labels: at least one label is required/);
  assert.match(message, /alerts\[3\]\.endsAt: must not be before startsAt/);
  assert.match(message, /alerts\[4\]\.startsAt: "noon" is not an RFC 3339 time/);
  assert.match(message, /alerts\[5\]: /);
  assert.doesNotMatch(message, /alerts\[0\]/);
  assert.deepEqual(core.received.map((a) => a.labels.alertname), ['Good']);
});

test('POST /alerts answers 400 on a body that is not a JSON array', async (t) => {
  const { post, core } = setup(t);
  const malformed = await post('/api/v2/alerts', '[{"labels":');
  assert.equal(malformed.statusCode, 400);
  assert.match(malformed.json(), /not valid JSON/);
  const notArray = await post('/api/v2/alerts', { labels: { a: 'b' } });
  assert.equal(notArray.statusCode, 400);
  assert.match(notArray.json(), /must be a JSON array/);
  const empty = await post('/api/v2/alerts', '');
  assert.equal(empty.statusCode, 400);
  assert.equal(core.received.length, 0);
});

test('GET /alerts applies the state flags, filters and receiver as Alertmanager does', async (t) => {
  const { app, core } = setup(t);
  const active = gettableAlert({ alertname: 'A', env: 'prod' });
  const silenced = gettableAlert({ alertname: 'S', env: 'prod' }, { status: { state: 'suppressed', silencedBy: ['s1'] } });
  const inhibited = gettableAlert({ alertname: 'I', env: 'dev' }, { receivers: [{ name: 'db-team' }], status: { state: 'suppressed', inhibitedBy: ['f1'] } });
  const unprocessed = gettableAlert({ alertname: 'U', env: 'dev' }, { status: { state: 'unprocessed' } });
  const ended = gettableAlert({ alertname: 'E' }, { endsAt: '2026-11-30T11:59:00.000Z' });
  core.listed = [active, silenced, inhibited, unprocessed, ended];
  const names = async (query: string) => {
    const response = await app.inject({ url: `/api/v2/alerts${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { labels: { alertname: string } }[]).map((a) => a.labels.alertname).sort();
  };
  assert.deepEqual(await names(''), ['A', 'I', 'S', 'U']);
  assert.deepEqual(await names('?silenced=false&inhibited=false'), ['A', 'U']);
  assert.deepEqual(await names('?active=false&silenced=false&inhibited=true&unprocessed=false'), ['I']);
  assert.deepEqual(await names('?filter=env%3Dprod&filter=alertname%3D~%22A%7CI%22'), ['A']);
  assert.deepEqual(await names('?filter=%7Benv%3D%22dev%22%7D&receiver='), ['I', 'U']);
  assert.deepEqual(await names('?receiver=db-.*'), ['I']);
  assert.deepEqual(await names('?receiver=db'), [], 'receiver regex is anchored');
  const seen = core.filtersSeen.at(-1)!;
  assert.deepEqual({ ...seen, receiver: undefined }, { active: true, silenced: true, inhibited: true, unprocessed: true, matchers: [], receiver: undefined });
  assert.equal(seen.receiver?.test('db'), true, 'the core is given the filter');
});

test('a failing core is a 500 with a JSON string body and no detail', async (t) => {
  const { app, core } = setup(t);
  core.alerts = () => {
    throw new Error('database on fire at /var/lib/secret');
  };
  const response = await app.inject({ url: '/api/v2/alerts' });
  assert.equal(response.statusCode, 500);
  assert.equal(response.json(), 'internal error');
});

test('GET /alerts answers in the spec shape, sorted by fingerprint, with mutedBy', async (t) => {
  const { app, core } = setup(t);
  core.listed = [gettableAlert({ alertname: 'B' }), gettableAlert({ alertname: 'A' })];
  const body = (await app.inject({ url: '/api/v2/alerts' })).json() as { fingerprint: string; status: { mutedBy: string[] } }[];
  assert.deepEqual(body.map((a) => a.fingerprint), [...core.listed.map((a) => a.fingerprint)].sort());
  assert.deepEqual(body[0].status.mutedBy, []);
});

test('GET /alerts refuses bad parameters with a 400 naming them', async (t) => {
  const { app } = setup(t);
  const cases: [string, RegExp][] = [
    ['?active=maybe', /^active: "maybe" is not a boolean/],
    ['?filter=%7Balertname', /^filter: /],
    ['?filter=job%3D~%22(a%2B)%2B%22', /^filter: /],
    ['?receiver=(', /^receiver: /],
  ];
  for (const [query, pattern] of cases) {
    const response = await app.inject({ url: `/api/v2/alerts${query}` });
    assert.equal(response.statusCode, 400, query);
    assert.match(response.json(), pattern, query);
  }
});

test('GET /alerts/groups filters alerts inside groups, drops empty groups, and muted=false drops fully muted ones', async (t) => {
  const { app, core } = setup(t);
  const open = gettableAlert({ alertname: 'A', team: 'ops' });
  const silenced = gettableAlert({ alertname: 'S', team: 'ops' }, { status: { state: 'suppressed', silencedBy: ['s1'] } });
  const timeMuted = gettableAlert({ alertname: 'T', team: 'db' }, { status: { state: 'suppressed', mutedBy: ['weekends'] } });
  core.grouped = [
    { labels: { team: 'ops' }, receiver: { name: 'ops' }, alerts: [open, silenced] },
    { labels: { team: 'ops-muted' }, receiver: { name: 'ops' }, alerts: [silenced] },
    { labels: { team: 'db' }, receiver: { name: 'db-team' }, alerts: [timeMuted], routeLabels: { team: 'db' } },
  ];
  const groups = async (query: string) => {
    const response = await app.inject({ url: `/api/v2/alerts/groups${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return (response.json() as { labels: { team: string }; alerts: { labels: { alertname: string } }[] }[]).map(
      (g) => `${g.labels.team}:${g.alerts.map((a) => a.labels.alertname).join(',')}`,
    );
  };
  assert.deepEqual(await groups(''), ['ops:A,S', 'ops-muted:S', 'db:T']);
  assert.deepEqual(await groups('?muted=false'), ['ops:A,S']);
  assert.deepEqual(await groups('?silenced=false'), ['ops:A', 'db:T']);
  assert.deepEqual(await groups('?receiver=db-team'), ['db:T']);
  assert.deepEqual(await groups('?filter=alertname%3DS'), ['ops:S', 'ops-muted:S']);
  const first = (await app.inject({ url: '/api/v2/alerts/groups' })).json()[0];
  assert.deepEqual(first.routeLabels, {});
  assert.deepEqual(first.receiver, { name: 'ops' });
});

test('silences: create, read, list with filters and states, expire', async (t) => {
  const { app, post, clock } = setup(t);
  const created = await post('/api/v2/silences', silenceBody());
  assert.equal(created.statusCode, 200, created.body);
  const { silenceID } = created.json() as { silenceID: string };
  const other = (await post('/api/v2/silences', silenceBody({ matchers: [{ name: 'team', value: 'db', isRegex: false, isEqual: true }] }))).json().silenceID;

  const one = await app.inject({ url: `/api/v2/silence/${silenceID}` });
  assert.equal(one.statusCode, 200);
  assert.equal(one.json().id, silenceID);
  assert.equal(one.json().status.state, 'active');
  assert.equal(one.json().createdBy, 'ops');

  const filtered = await app.inject({ url: '/api/v2/silences?filter=alertname%3DDiskFull' });
  assert.deepEqual(filtered.json().map((s: { id: string }) => s.id), [silenceID]);

  clock.advance(1000);
  const deleted = await app.inject({ method: 'DELETE', url: `/api/v2/silence/${silenceID}` });
  assert.equal(deleted.statusCode, 200);
  assert.equal((await app.inject({ url: `/api/v2/silence/${silenceID}` })).json().status.state, 'expired');
  const ids = async (query: string) => (await app.inject({ url: `/api/v2/silences${query}` })).json().map((s: { id: string }) => s.id);
  assert.deepEqual(await ids(''), [other, silenceID]);
  assert.deepEqual(await ids('?expired=false'), [other]);
  assert.deepEqual(await ids('?active=false'), [silenceID]);

  const again = await app.inject({ method: 'DELETE', url: `/api/v2/silence/${silenceID}` });
  assert.equal(again.statusCode, 400);
  assert.match(again.json(), /already expired/);
});

test('silences: unknown ids are 404, invalid silences are 400 naming the field', async (t) => {
  const { app, post } = setup(t);
  const missing = '0b6b1b0e-3a57-4b5e-9d0a-4f1f2b4d1c00';
  assert.equal((await app.inject({ url: `/api/v2/silence/${missing}` })).statusCode, 404);
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/v2/silence/${missing}` })).statusCode, 404);
  assert.equal((await post('/api/v2/silences', silenceBody({ id: missing }))).statusCode, 404);

  const noMatchers = await post('/api/v2/silences', silenceBody({ matchers: [] }));
  assert.equal(noMatchers.statusCode, 400);
  assert.match(noMatchers.json(), /^matchers: at least one matcher is required/);
  const past = await post('/api/v2/silences', silenceBody({ startsAt: '2026-11-29T00:00:00Z', endsAt: '2026-11-29T01:00:00Z' }));
  assert.equal(past.statusCode, 400);
  assert.match(past.json(), /^endsAt: .* in the past/);
  const malformed = await post('/api/v2/silences', '{');
  assert.equal(malformed.statusCode, 400);
  assert.match(malformed.json(), /not valid JSON/);
  assert.deepEqual((await app.inject({ url: '/api/v2/silences' })).json(), []);
});

test('GET /status and GET /receivers', async (t) => {
  const { app, core } = setup(t);
  const status = (await app.inject({ url: '/api/v2/status' })).json();
  assert.deepEqual(status.cluster, { status: 'disabled', peers: [] });
  assert.equal(status.config.original, core.configYaml());
  assert.equal(status.uptime, new Date(STARTED_AT).toISOString());
  assert.equal(status.versionInfo.version, '0.1.0-test');
  for (const key of ['revision', 'branch', 'buildUser', 'buildDate', 'goVersion']) assert.equal(typeof status.versionInfo[key], 'string', key);
  assert.deepEqual((await app.inject({ url: '/api/v2/receivers' })).json(), [{ name: 'ops' }, { name: 'db-team' }]);
});
