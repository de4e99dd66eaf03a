import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { FakeClock } from '../testing/fake-clock.ts';
import { DashboardStore, dashboardDirs, BUILTIN_DASHBOARDS_DIR } from './store.ts';

const minimal = 'title: Minimal\npanels:\n  - title: Up\n    type: stat\n    query: up\n';

function tempFolder(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-dashboards-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function startStore(t: TestContext, dir: string, clock = new FakeClock()) {
  const store = new DashboardStore({ clock, dirs: [dir], builtin: false, rescanIntervalMs: 10_000, debounceMs: 5 });
  store.start();
  t.after(() => store.stop());
  return { store, clock };
}

test('loads yml, yaml and json files with defaults filled in', (t) => {
  const dir = tempFolder(t);
  writeFileSync(join(dir, 'a.yml'), minimal);
  writeFileSync(join(dir, 'b.yaml'), 'title: B\ntags: [x]\n');
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ title: 'C', panels: [{ title: 'Logs', type: 'logs', query: '{app="x"}' }] }));
  writeFileSync(join(dir, 'notes.txt'), 'not a dashboard');
  const { store } = startStore(t, dir);
  assert.deepEqual(store.list().map((e) => [e.id, e.title]), [['a', 'Minimal'], ['b', 'B'], ['c', 'C']]);
  const panel = store.get('a')!.dashboard!.panels[0];
  assert.deepEqual(panel.queries, [{ expr: 'up', legend: undefined }]);
  assert.equal(panel.datasource, 'metrics');
  assert.equal(panel.width, 6);
  assert.deepEqual(store.get('a')!.dashboard!.time, { from: 'now-1h', to: 'now' });
  assert.equal(store.get('c')!.dashboard!.panels[0].datasource, 'logs');
});

test('a broken file is listed with its file and field, the others still load', (t) => {
  const dir = tempFolder(t);
  writeFileSync(join(dir, 'good.yml'), minimal);
  writeFileSync(join(dir, 'bad-field.yml'), 'title: Bad\npanels:\n  - title: X\n    type: pie\n    query: up\n    widht: 3\n');
  writeFileSync(join(dir, 'bad-yaml.yml'), 'title: [unclosed\n');
  writeFileSync(join(dir, 'bad-var.yml'), 'title: V\nvariables:\n  - name: svc\n    query: values(job)\n');
  const { store } = startStore(t, dir);
  const byId = new Map(store.list().map((e) => [e.id, e]));
  assert.equal(byId.get('good')!.error, undefined);
  assert.match(byId.get('bad-field')!.error!, /bad-field\.yml: .*panels\.0\.type: .*; panels\.0: Unrecognized key: "widht"/);
  assert.match(byId.get('bad-yaml')!.error!, /bad-yaml\.yml: not valid YML/);
  assert.match(byId.get('bad-var')!.error!, /variables\.0\.query: use label_values/);
  assert.equal(store.get('bad-field')!.dashboard, undefined);
});

test('a panel needs exactly one of query and queries; logs panels need the logs datasource', (t) => {
  const dir = tempFolder(t);
  writeFileSync(join(dir, 'none.yml'), 'title: N\npanels:\n  - title: X\n    type: stat\n');
  writeFileSync(join(dir, 'logs.yml'), 'title: L\npanels:\n  - title: X\n    type: logs\n    datasource: metrics\n    query: up\n');
  const { store } = startStore(t, dir);
  assert.match(store.get('none')!.error!, /panels\.0: give either query or queries/);
  assert.match(store.get('logs')!.error!, /panels\.0\.datasource: a logs panel needs datasource: logs/);
});

test('the same id in two folders: the first wins, the second is listed as broken', (t) => {
  const first = tempFolder(t);
  const second = tempFolder(t);
  writeFileSync(join(first, 'x.yml'), minimal);
  writeFileSync(join(second, 'x.json'), JSON.stringify({ title: 'Other' }));
  const store = new DashboardStore({ clock: new FakeClock(), dirs: [first, second], builtin: false });
  store.start();
  t.after(() => store.stop());
  assert.equal(store.get('x')!.title, 'Minimal');
  assert.match(store.get('x-2')!.error!, /id "x" is already used by/);
});

test('the periodic rescan picks up added, changed and removed files', (t) => {
  const dir = tempFolder(t);
  const { store, clock } = startStore(t, dir);
  assert.deepEqual(store.list(), []);
  writeFileSync(join(dir, 'a.yml'), minimal);
  clock.advance(10_000);
  assert.equal(store.get('a')!.title, 'Minimal');
  writeFileSync(join(dir, 'a.yml'), minimal.replace('Minimal', 'Renamed!'));
  utimesSync(join(dir, 'a.yml'), new Date(), new Date(Date.now() + 5000)); // a distinct mtime even on coarse filesystems
  clock.advance(10_000);
  assert.equal(store.get('a')!.title, 'Renamed!');
  unlinkSync(join(dir, 'a.yml'));
  clock.advance(10_000);
  assert.deepEqual(store.list(), []);
});

test('a change seen by fs.watch reloads after the debounce, without the rescan', async (t) => {
  const dir = tempFolder(t);
  const { store } = startStore(t, dir);
  writeFileSync(join(dir, 'w.yml'), minimal);
  for (let i = 0; i < 100 && store.get('w') === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(store.get('w')?.title, 'Minimal');
});

test('folders: built-in first, then configured', () => {
  assert.deepEqual(dashboardDirs({ dirs: ['/etc/d'] }), [BUILTIN_DASHBOARDS_DIR, '/etc/d']);
  assert.deepEqual(dashboardDirs({ builtin: false }), []);
});
