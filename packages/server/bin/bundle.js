// Bundles a TypeScript entry point and what it imports from this repository
// into one JavaScript file under packages/server/.cache/, named by its
// content, and returns its URL (undefined when that cannot be done, e.g. a
// read-only install: the caller then runs the sources through tsx).
//
// Why: each thread that loads TypeScript through tsx's loader hooks costs
// ~30 MB more resident memory than one running plain JavaScript, and Vigil
// runs three (main, query worker, remote-write decoder). Packages stay
// imports (the file lives in the package, so they resolve as the sources'
// do).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, buildSync } from 'esbuild';

const cacheDir = fileURLToPath(new URL('../.cache/', import.meta.url));
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent' };

/**
 * The server: the workspace's own packages are bundled too (@vigil/sdk ships
 * TypeScript), and each module keeps its source file's import.meta.url, since
 * paths to rules/, dashboards/, docs/ and the UI are relative to it.
 * @param {URL} entry @returns {Promise<URL | undefined>}
 */
export async function bundleServer(entry) {
  try {
    const built = await build({ ...common, entryPoints: [fileURLToPath(entry)], plugins: [sourcesOnly] });
    return cache(entry, built.outputFiles[0].contents);
  } catch {
    return undefined;
  }
}

/**
 * A worker module, synchronously (workers start in constructors, and
 * buildSync takes no plugins): one whose modules use import.meta, which the
 * bundle would change, or workspace packages is left to tsx.
 * @param {URL} entry @returns {URL | undefined}
 */
export function bundleWorker(entry) {
  try {
    const built = buildSync({ ...common, entryPoints: [fileURLToPath(entry)], packages: 'external' });
    const code = built.outputFiles[0].text;
    if (code.includes('import.meta') || /from ["']@vigil\//.test(code)) return undefined;
    return cache(entry, built.outputFiles[0].contents);
  } catch {
    return undefined;
  }
}

function cache(entry, code) {
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const file = `${cacheDir}${basename(fileURLToPath(entry), '.ts')}-${hash}.mjs`;
  if (!existsSync(file)) {
    // Named by its contents: a file already there is this bundle, written whole.
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, code);
    renameSync(`${file}.${process.pid}.tmp`, file); // another process starting at once sees a whole file
  }
  return pathToFileURL(file);
}

const sourcesOnly = {
  name: 'vigil-sources-only',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@vigil/') ? undefined : { external: true }));
    b.onLoad({ filter: /\.[jt]s$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: args.path.endsWith('.ts') ? 'ts' : 'js',
    }));
  },
};
