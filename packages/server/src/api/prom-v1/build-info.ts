/**
 * What `/api/v1/status/buildinfo` reports. Vigil runs from source (no build
 * step), so the revision and branch come from the checkout's `.git` when
 * there is one, and the build user and date are not known.
 */
import { readFileSync } from 'node:fs';

export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  buildUser: string;
  buildDate: string;
  goVersion: string;
}

const packageJson = new URL('../../../package.json', import.meta.url);
const gitDir = new URL('../../../../../.git/', import.meta.url);

function readText(url: URL): string | undefined {
  try {
    return readFileSync(url, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** HEAD's commit and branch, from loose refs or packed-refs; undefined outside a git checkout. */
export function gitHead(dir: URL): { revision: string; branch: string } | undefined {
  const head = readText(new URL('HEAD', dir));
  if (head === undefined) return undefined;
  if (!head.startsWith('ref: ')) return { revision: head, branch: 'HEAD' };
  const ref = head.slice(5);
  const packed = readText(new URL('packed-refs', dir))
    ?.split('\n')
    .find((line) => line.endsWith(` ${ref}`))
    ?.split(' ')[0];
  return { revision: readText(new URL(ref, dir)) ?? packed ?? 'unknown', branch: ref.replace(/^refs\/heads\//, '') };
}

export function vigilBuildInfo(): BuildInfo {
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const git = gitHead(gitDir);
  return {
    version,
    revision: git?.revision ?? 'unknown',
    branch: git?.branch ?? 'unknown',
    buildUser: 'n/a (run from source)',
    buildDate: 'n/a (run from source)',
    goVersion: `n/a (Vigil, Node ${process.version})`,
  };
}
