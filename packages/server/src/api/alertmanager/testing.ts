/** Test kit: a Fastify app set up as src/api/app.ts sets it up, with a fake dispatcher core and real silences. */
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Clock } from '../../clock.ts';
import { fingerprint, type Alert, type LabelSet } from '../../dispatch/model.ts';
import { Silences } from '../../dispatch/silences.ts';
import { registerAlertmanagerApi, type AlertFilter, type AlertGroup, type AlertmanagerCore, type AlertStatus, type GettableAlert } from './routes.ts';

export class FakeCore implements AlertmanagerCore {
  readonly received: Alert[] = [];
  readonly filtersSeen: AlertFilter[] = [];
  listed: GettableAlert[] = [];
  grouped: AlertGroup[] = [];

  put(alerts: Alert[]): void {
    this.received.push(...alerts);
  }

  alerts(filter: AlertFilter): GettableAlert[] {
    this.filtersSeen.push(filter);
    return this.listed;
  }

  groups(filter: AlertFilter): AlertGroup[] {
    this.filtersSeen.push(filter);
    return this.grouped;
  }

  receivers(): { name: string }[] {
    return [{ name: 'ops' }, { name: 'db-team' }];
  }

  configYaml(): string {
    return 'route:\n  receiver: ops\nreceivers:\n  - name: ops\n  - name: db-team\n';
  }
}

export interface TestApi<C extends Clock> {
  app: FastifyInstance;
  core: FakeCore;
  silences: Silences;
  clock: C;
  close(): Promise<void>;
}

export const STARTED_AT = Date.UTC(2026, 10, 30, 11, 0, 0);

export function buildTestApi<C extends Clock>(clock: C): TestApi<C> {
  const db = new Database(':memory:');
  const silences = new Silences(db, { clock });
  const core = new FakeCore();
  const app = Fastify();
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  registerAlertmanagerApi(app, { core, silences, now: () => clock.now(), startedAt: STARTED_AT, version: '0.1.0-test', maxBodyBytes: 1 << 20 });
  return {
    app,
    core,
    silences,
    clock,
    close: async () => {
      await app.close();
      db.close();
    },
  };
}

/** A listed alert as a dispatcher would answer it. */
export function gettableAlert(labels: LabelSet, overrides: Omit<Partial<GettableAlert>, 'status'> & { status?: Partial<AlertStatus> } = {}): GettableAlert {
  const { status, ...rest } = overrides;
  return {
    labels,
    annotations: {},
    startsAt: '2026-11-30T11:00:00.000Z',
    endsAt: '2026-11-30T12:05:00.000Z',
    updatedAt: '2026-11-30T11:59:00.000Z',
    generatorURL: '',
    fingerprint: fingerprint(labels),
    receivers: [{ name: 'ops' }],
    ...rest,
    status: { state: 'active', silencedBy: [], inhibitedBy: [], ...status },
  };
}
