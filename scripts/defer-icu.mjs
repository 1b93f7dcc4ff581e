// An esbuild plugin that makes string-width and wrap-ansi build their Unicode
// machinery at first use instead of when they are loaded.
//
// Both create an Intl.Segmenter at module level, and string-width also a
// `/^\p{RGI_Emoji}$/v` regex. Making them is when V8 first touches ICU's
// segmentation and emoji data: 20-70 ms here, paid while the UI's first
// frame is being prepared, though that frame is nearly always printable
// ASCII, which both libraries measure on a fast path without them. Deferred,
// the cost comes with the first line that needs it, if any.
//
// The rewrite is checked: if a new version of either library changes the
// lines it expects, the build fails and says so, rather than silently
// dropping the deferral (or leaving a half-rewritten module).
import {realpathSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';

/** The exact module-level lines to defer, per library, and how each object is used. */
const deferrals = {
  'string-width': [
    {line: 'const segmenter = new Intl.Segmenter();', name: 'segmenter', make: 'new Intl.Segmenter()', method: 'segment'},
    {line: 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', name: 'rgiEmojiRegex', make: "new RegExp('^\\\\p{RGI_Emoji}$', 'v')", method: 'test'},
  ],
  'wrap-ansi': [{line: 'const segmenter = new Intl.Segmenter();', name: 'segmenter', make: 'new Intl.Segmenter()', method: 'segment'}],
};

/** Rewrites one library's source; throws when it does not look as expected. */
export function deferIcuIn(library, source) {
  let text = source;
  for (const {line, name, make, method} of deferrals[library]) {
    if (!text.includes(line)) throw new Error(`defer-icu: ${library} no longer has \`${line}\`; update scripts/defer-icu.mjs for its new version`);
    // Every other use (outside line comments) must be a call of `method`, which the stand-in forwards.
    const code = text.split(line).join('').replace(/\/\/.*$/gm, '');
    const uses = code.match(new RegExp(`\\b${name}\\b(?!\\.${method}\\()`, 'g'));
    if (uses) throw new Error(`defer-icu: ${library} uses ${name} other than as ${name}.${method}(); update scripts/defer-icu.mjs`);
    // A function, not a string, as replacement: `$'` in `make` would be a replacement pattern.
    text = text.replace(line, () => `let ${name}Made; const ${name} = {${method}: (text) => (${name}Made ??= ${make}).${method}(text)};`);
  }
  return text;
}

/** The plugin: applies to the copies in the project's own node_modules (Ink's nested ones load after the first frame). */
export function deferIcuPlugin(projectRoot) {
  // esbuild loads a module by its real path: node_modules, or a library in it, may be a link (pnpm, a git worktree sharing one).
  const targets = new Map(Object.keys(deferrals).map((library) => [realpathSync(path.join(projectRoot, 'node_modules', library, 'index.js')), library]));
  return {
    name: 'defer-icu',
    setup(build) {
      build.onLoad({filter: /[\\/]node_modules[\\/](string-width|wrap-ansi)[\\/]index\.js$/}, async (args) => {
        const library = targets.get(args.path);
        if (library === undefined) return undefined;
        return {contents: deferIcuIn(library, await readFile(args.path, 'utf8')), loader: 'js'};
      });
    },
  };
}
