/** YAML for Compose and Kubernetes, written by the yaml package so that every reader sees the same values. */
import {Document, isScalar, parseDocument, visit} from 'yaml';
import {escapeNonPlainChars, isPlainText, rejectUnwritable} from './quote.js';

/**
 * One YAML document. Go's YAML readers differ on plain scalars (`no`, `on`,
 * `0o12` are booleans or numbers to some of them), so a string that any
 * YAML 1.1 or 1.2 reader could take for something else is double-quoted.
 *
 * A string with any character off the allow-list in quote.ts (a line break,
 * a tab, a control, U+2028...) is double-quoted too, on one line, and never a
 * block scalar: YAML 1.1 readers (libyaml, Go) end lines at \x85, U+2028 and
 * U+2029 and refuse DEL, C1 controls and noncharacters, and a block cannot
 * start with a tab. The yaml package leaves some of those raw even inside
 * double quotes, so the text is finished here: each one left is written as
 * an escape, which inside double quotes means the same character and in a
 * comment is only text.
 */
export function toYamlDocument(value: unknown, options: {comment?: string; isDocStart?: boolean} = {}): string {
  const doc = new Document(value, {version: '1.1', aliasDuplicateObjects: false});
  visit(doc, {
    Scalar(key, node) {
      if (typeof node.value !== 'string') return;
      rejectUnwritable(node.value, 'export');
      // Map keys here are names we chose; values and list items carry user text.
      if (!isPlainText(node.value) || (key !== 'key' && isAmbiguous(node.value))) node.type = 'QUOTE_DOUBLE';
    },
  });
  if (options.comment !== undefined) doc.commentBefore = options.comment;
  if (options.isDocStart && doc.directives) doc.directives.docStart = true;
  // No line width and no multi-line double quotes: every double-quoted string stays on its line, `\n` escaped.
  const text = doc.toString({lineWidth: 0, doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY});
  return escapeNonPlainChars(text, '\n');
}

function isAmbiguous(text: string): boolean {
  return (['1.1', '1.2'] as const).some((version) => {
    // parseDocument keeps errors and warnings (`!tag`, `%directive`) on the document, where a
    // string with either is simply quoted, instead of throwing or printing them to stderr.
    const doc = parseDocument(text, {version});
    return doc.errors.length > 0 || doc.warnings.length > 0 || !isScalar(doc.contents) || doc.contents.value !== text;
  });
}
