import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAlertmanagerConfig } from './config.ts';
import { buildRouteTree, groupKey, groupLabels, matchRoutes } from './route.ts';

const config = parseAlertmanagerConfig({
  route: {
    receiver: 'root',
    group_by: ['alertname'],
    group_wait: '10s',
    routes: [
      { matchers: ['severity="critical"'], receiver: 'pager', continue: true, group_by: ['...'] },
      {
        match: { team: 'db' },
        receiver: 'db',
        repeat_interval: '1h',
        routes: [
          { match_re: { alertname: 'Disk.*' }, receiver: 'db-disk' },
          { matchers: ['env=~"prod|staging"'], group_wait: '1m' },
        ],
      },
      { matchers: ['team="web"'], receiver: 'web' },
      { matchers: ['team="web"'], receiver: 'web-second' },
    ],
  },
  receivers: ['root', 'pager', 'db', 'db-disk', 'web', 'web-second'].map((name) => ({ name })),
});
const tree = buildRouteTree(config.route);
const receiversFor = (labels: Record<string, string>) => matchRoutes(tree, labels).map((n) => n.receiver);

test('falls back to the root when no child matches', () => {
  assert.deepEqual(receiversFor({ alertname: 'X' }), ['root']);
});

test('continue lets an alert go on to the next matching sibling', () => {
  assert.deepEqual(receiversFor({ severity: 'critical', team: 'db' }), ['pager', 'db']);
  assert.deepEqual(receiversFor({ severity: 'critical' }), ['pager']);
});

test('the first matching child wins without continue', () => {
  assert.deepEqual(receiversFor({ team: 'web' }), ['web']);
});

test('nested routes, legacy match_re anchored, parent used when no grandchild matches', () => {
  assert.deepEqual(receiversFor({ team: 'db', alertname: 'DiskFull' }), ['db-disk']);
  assert.deepEqual(receiversFor({ team: 'db', alertname: 'MyDiskFull' }), ['db'], 'anchored regex');
  assert.deepEqual(receiversFor({ team: 'db', alertname: 'Slow', env: 'prod' }), ['db'], 'inherits the receiver');
});

test('children inherit group_by and timings, and override them', () => {
  const [node] = matchRoutes(tree, { team: 'db', alertname: 'Slow', env: 'prod' });
  assert.deepEqual(node.groupBy, ['alertname']);
  assert.equal(node.groupWait, 60_000);
  assert.equal(node.repeatInterval, 3_600_000, 'from the parent');
  assert.equal(node.groupInterval, 300_000, 'from the root default');
});

test("group_by ['...'] groups by every label", () => {
  const [pager] = matchRoutes(tree, { severity: 'critical', instance: 'a' });
  assert.deepEqual(groupLabels(pager, { severity: 'critical', instance: 'a' }), { severity: 'critical', instance: 'a' });
  const [root] = matchRoutes(tree, { alertname: 'X', instance: 'a' });
  assert.deepEqual(groupLabels(root, { alertname: 'X', instance: 'a' }), { alertname: 'X' });
});

test('keys and ids are as Alertmanager builds them', () => {
  const [pager, db] = matchRoutes(tree, { severity: 'critical', team: 'db', alertname: 'X' });
  assert.equal(pager.key, '{}/{severity="critical"}');
  assert.equal(pager.id, '{}/{severity="critical"}/0');
  assert.equal(db.id, '{}/{team="db"}/1');
  assert.equal(groupKey(pager, { severity: 'critical', alertname: 'X' }), '{}/{severity="critical"}:{alertname="X", severity="critical"}');
  const [web] = matchRoutes(tree, { team: 'web' });
  assert.equal(web.id, '{}/{team="web"}/2', 'siblings with equal matchers differ by index');
  const [nested] = matchRoutes(tree, { team: 'db', alertname: 'DiskX' });
  assert.equal(nested.key, '{}/{team="db"}/{alertname=~"Disk.*"}');
});
