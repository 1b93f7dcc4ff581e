// Bundles the CLI into dist/ with esbuild. Splitting keeps the UI (ink, react)
// in its own chunk, loaded only when the terminal UI starts, so headless runs
// and control verbs start fast.
import {build} from 'esbuild';
import {rmSync, chmodSync} from 'node:fs';

rmSync('dist', {recursive: true, force: true});
await build({
  entryPoints: {cli: 'src/cli.ts'},
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  packages: 'external',
  banner: {js: '#!/usr/bin/env node'},
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
