import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { MetadataStore } from '../metadata/index.ts';
import { FakeClock } from '../testing/fake-clock.ts';
import { scrapeSectionSchema } from './config.ts';
import { ScrapeManager } from './manager.ts';
import { MemoryAppender } from './testing.ts';

test("each scrape records its families' TYPE and HELP under the manager's tenant; a bad exposition records nothing", async (t) => {
  let body = '# HELP jobs_total Jobs done.\n# TYPE jobs_total counter\njobs_total 3\n';
  const server = createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const clock = new FakeClock();
  const metadata = new MetadataStore(clock);
  const section = scrapeSectionSchema.parse({ scrape_configs: [{ job_name: 'app', scrape_interval: '10s', static_configs: [{ targets: [target] }] }] });
  const manager = new ScrapeManager(section, { appender: new MemoryAppender(), clock, tenant: 'team-a', metadata });
  manager.start();
  t.after(() => manager.stop());
  clock.advance(10_000);
  await manager.idle();
  assert.deepEqual(metadata.query('team-a'), { jobs_total: [{ type: 'counter', help: 'Jobs done.', unit: '' }] });
  assert.deepEqual(metadata.query('default'), {});

  body = '# TYPE broken gauge\nbroken not-a-number\n';
  clock.advance(10_000);
  await manager.idle();
  assert.equal(metadata.query('team-a').broken, undefined);
});
