// Writes schema/procdeck.schema.json from the zod schema in src/config/schema.ts,
// so editors validate procdeck.yaml with the same rules procdeck does.
// test/unit/config/json-schema.test.ts fails when the shipped file is stale.
import {build} from 'esbuild';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';

// Bundled next to node_modules so the bundle's bare imports (zod, croner) resolve.
const outfile = 'node_modules/.cache/procdeck/schema.mjs';
mkdirSync('node_modules/.cache/procdeck', {recursive: true});
await build({
  entryPoints: ['src/config/schema.ts'],
  outfile,
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'warning',
});
try {
  const {renderJsonSchema} = await import(pathToFileURL(outfile).href);
  mkdirSync('schema', {recursive: true});
  writeFileSync('schema/procdeck.schema.json', renderJsonSchema());
  console.log('wrote schema/procdeck.schema.json');
} finally {
  rmSync(outfile, {force: true});
}
