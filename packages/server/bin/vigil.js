#!/usr/bin/env node
// Runs Vigil from its TypeScript sources: bundled into plain JavaScript
// (bundle.js says why), or through tsx where the bundle cannot be written.
import { bundleServer } from './bundle.js';

const entry = new URL('../src/cli/main.ts', import.meta.url);
const bundled = await bundleServer(entry);
if (bundled === undefined) (await import('tsx/esm/api')).register();
const { main } = await import((bundled ?? entry).href);
process.exitCode = await main(process.argv.slice(2));
