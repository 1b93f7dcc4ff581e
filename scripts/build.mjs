// Bundles the CLI and its dependencies into dist/ with esbuild: one file
// loads in about half the time Node needs to resolve and read hundreds of
// node_modules files. Splitting keeps the UI (ink, react) in its own chunk,
// loaded only when the terminal UI starts, so headless runs and control verbs
// start fast.
import {build} from 'esbuild';
import {rmSync, chmodSync} from 'node:fs';
import {deferIcuPlugin} from './defer-icu.mjs';

rmSync('dist', {recursive: true, force: true});
await build({
  entryPoints: {cli: 'src/cli.ts'},
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Node 20's V8 has both; esbuild would otherwise turn such regex literals
  // into `new RegExp()` calls, parsed at module load instead of at first use
  // (string-width's RGI_Emoji set: ~6 ms, before the UI's first frame).
  supported: {'regexp-set-notation': true, 'regexp-unicode-property-escapes': true},
  sourcemap: 'linked',
  // Bundled CommonJS dependencies call require(); ESM output needs one made.
  banner: {js: "#!/usr/bin/env node\nimport {createRequire as __pdRequire} from 'node:module'; const require = __pdRequire(import.meta.url);"},
  // Ink imports react-devtools-core only when DEV=true; it is not installed.
  external: ['react-devtools-core'],
  // React's production build: the development one checks every render and is several times slower.
  define: {'process.env.NODE_ENV': '"production"'},
  // string-width's and wrap-ansi's ICU objects are made at first use, not before the first frame.
  plugins: [deferIcuPlugin(process.cwd())],
  logLevel: 'warning',
});
chmodSync('dist/cli.js', 0o755);
