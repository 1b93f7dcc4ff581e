/** YAML for Compose and Kubernetes, written by the yaml package so that every reader sees the same values. */
import {Document, parse, visit} from 'yaml';

/**
 * One YAML document. Go's YAML readers differ on plain scalars (`no`, `on`,
 * `0o12` are booleans or numbers to some of them), so a string that any
 * YAML 1.1 or 1.2 reader could take for something else is double-quoted.
 */
export function toYamlDocument(value: unknown, options: {comment?: string; isDocStart?: boolean} = {}): string {
  const doc = new Document(value, {version: '1.1', aliasDuplicateObjects: false});
  visit(doc, {
    Scalar(key, node) {
      // Map keys here are names we chose; values and list items carry user text.
      if (key !== 'key' && typeof node.value === 'string' && isAmbiguous(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  if (options.comment !== undefined) doc.commentBefore = options.comment;
  if (options.isDocStart && doc.directives) doc.directives.docStart = true;
  return doc.toString({lineWidth: 0});
}

function isAmbiguous(text: string): boolean {
  if (text.includes('\n')) return false; // written as a block or quoted string by the library
  for (const version of ['1.1', '1.2'] as const) {
    try {
      if (parse(text, {version}) !== text) return true;
    } catch {
      return true; // not even a scalar on its own: quoting is the safe way to write it
    }
  }
  return false;
}
