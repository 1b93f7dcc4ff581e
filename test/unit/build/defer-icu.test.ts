import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import {afterAll, describe, expect, it} from 'vitest';
// @ts-expect-error: a build script in plain JavaScript, without type declarations.
import {deferIcuIn, deferIcuPlugin} from '../../../scripts/defer-icu.mjs';

const root = path.resolve(import.meta.dirname, '../../..');
const work = mkdtempSync(path.join(tmpdir(), 'procdeck-defer-icu-'));
afterAll(() => rmSync(work, {recursive: true, force: true}));

/** Text that takes every path of both libraries: ASCII, CJK, emoji, ZWJ and keycap sequences, combining marks, colors. */
const samples = ['plain ascii', '漢字テキスト', 'thumbs 👍 up', 'family 👨‍👩‍👧 here', '1️⃣ keycap', 'e\u0301 combining', '\u001B[31mred 赤\u001B[39m', 'ﾃﾞ halfwidth', '한국어'];

describe('defer-icu (the build plugin)', () => {
  it('bundles string-width and wrap-ansi so that loading them makes no Intl.Segmenter, and they measure as before', async () => {
    const entry = path.join(work, 'entry.js');
    writeFileSync(entry, "export {default as stringWidth} from 'string-width';\nexport {default as wrapAnsi} from 'wrap-ansi';\n");
    await build({entryPoints: [entry], outfile: path.join(work, 'bundle.mjs'), bundle: true, format: 'esm', platform: 'node', nodePaths: [path.join(root, 'node_modules')], plugins: [deferIcuPlugin(root)], logLevel: 'silent'});
    expect(readFileSync(path.join(work, 'bundle.mjs'), 'utf8')).not.toMatch(/^var \w+ = new Intl\.Segmenter\(\);$/m);

    const RealSegmenter = Intl.Segmenter;
    const intl = Intl as {Segmenter: typeof Intl.Segmenter};
    let made = 0;
    intl.Segmenter = class extends RealSegmenter {
      constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
        super(...args);
        made += 1;
      }
    };
    try {
      const bundled = (await import(pathToFileURL(path.join(work, 'bundle.mjs')).href)) as {stringWidth: typeof stringWidth; wrapAnsi: typeof wrapAnsi};
      expect(made).toBe(0);
      expect(bundled.stringWidth('web.1 running 4312')).toBe(18);
      expect(bundled.wrapAnsi('short ascii line', 8)).toBe(wrapAnsi('short ascii line', 8));
      expect(made).toBe(0); // printable ASCII never needs it
      for (const text of samples) {
        expect(bundled.stringWidth(text), text).toBe(stringWidth(text));
        expect(bundled.wrapAnsi(text, 5, {hard: true}), text).toBe(wrapAnsi(text, 5, {hard: true}));
      }
      expect(made).toBe(2); // one each, made at first need and kept
    } finally {
      intl.Segmenter = RealSegmenter;
    }
  });

  it('defers them as well when the project reaches node_modules through a link (pnpm, a git worktree sharing one)', async () => {
    const project = path.join(work, 'linked-project');
    mkdirSync(project);
    symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'));
    const entry = path.join(project, 'entry.js');
    writeFileSync(entry, "export {default as stringWidth} from 'string-width';\nexport {default as wrapAnsi} from 'wrap-ansi';\n");
    const outfile = path.join(project, 'bundle.mjs');
    await build({entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', plugins: [deferIcuPlugin(project)], logLevel: 'silent'});
    const bundle = readFileSync(outfile, 'utf8');
    expect(bundle).toContain('segmenterMade');
    expect(bundle).not.toMatch(/^var \w+ = new Intl\.Segmenter\(\);$/m);
  });

  it('fails the build, naming the library, when a new version no longer has the expected line', () => {
    expect(() => deferIcuIn('string-width', 'const segmenter = new Intl.Segmenter({granularity: "word"});')).toThrow(/string-width no longer has `const segmenter = new Intl\.Segmenter\(\);`/);
  });

  it('fails the build when the deferred object is used other than through the one method the stand-in forwards', () => {
    const source = 'const segmenter = new Intl.Segmenter();\n// a comment may name segmenter freely\nexport const options = segmenter.resolvedOptions();\n';
    expect(() => deferIcuIn('wrap-ansi', source)).toThrow(/wrap-ansi uses segmenter other than as segmenter\.segment\(\)/);
  });
});
