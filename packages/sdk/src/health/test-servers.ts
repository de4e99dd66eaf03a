/**
 * Real Redis and PostgreSQL for the health tests, each on a free port on
 * 127.0.0.1 in its own temp dir, stopped and removed by t.after. Never the
 * system services.
 */
import { execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { freePort } from '../ship/test-kit.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PG_BIN = '/usr/lib/postgresql/15/bin';


function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(what: string, ready: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`${what} did not start within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

/** A test's context, or anything collecting clean-ups (for servers shared by a whole file). */
type Context = { after(fn: () => Promise<void>): void };

export async function startRedis(t: Context): Promise<RunningServer> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    child.kill('SIGTERM');
    await exited;
  };
  t.after(async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });
  await waitFor('redis-server', () => canConnect(port));
  return { port, stop };
}

export interface RunningPostgres extends RunningServer {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres (trust auth: the password is only there to be leaked or not). */
  url(password?: string): string;
}

export async function startPostgres(t: Context): Promise<RunningPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-pg-'));
  // postgres refuses to run as root: as root, the cluster belongs to the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(uid), Number(gid));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  const asPostgres = (bin: string, args: string[]) => asRoot
    ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], { cwd: dir })
    : run(join(PG_BIN, bin), args, { cwd: dir });
  let running = false;
  const stop = async () => {
    if (!running) return;
    running = false;
    await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  };
  t.after(async () => {
    await stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C']);
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-o', serverOptions, '-w', 'start']);
  running = true;
  return { port, stop, url: (password = 'pw') => `postgres://postgres:${password}@127.0.0.1:${port}/postgres` };
}
