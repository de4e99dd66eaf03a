// pino's transport worker loads its target with a plain import(). It has no
// TypeScript loader unless the application ran under `node --import tsx` and
// pino passed that flag on, which pino skips for ES module entry points. So
// this entry is JavaScript: it imports the TypeScript transport, registering
// tsx in this worker first if TypeScript cannot be loaded yet.
let loaded;
try {
  loaded = await import('./transport.ts');
} catch (err) {
  if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
  const { register } = await import('tsx/esm/api');
  register();
  // a failed import stays cached for its URL: ask again under another one
  loaded = await import('./transport.ts?tsx');
}

export default loaded.default;
