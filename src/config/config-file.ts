/**
 * Reads `procdeck.yaml`: YAML syntax, then the schema, every problem reported
 * as `file:line: yaml.path: problem`.
 */
import {isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit} from 'yaml';
import type {Document, Node} from 'yaml';
import {ConfigError} from './errors.js';
import {readTextFile} from './procfile.js';
import {validateConfig} from './schema.js';
import type {Config} from './schema.js';

/** A parsed config file, with a way to turn a YAML path back into a line number. */
export interface ConfigFile {
  /** Undefined when the file has errors (then `errors` says why). */
  config?: Config;
  errors: ConfigError[];
  label: string;
  /** The 1-based line of the key at `path` (or of its nearest existing parent). */
  lineOf(path: readonly PropertyKey[]): number;
  /** A ConfigError placed at `path`: `procdeck.yaml:7: processes.web.restart: problem`. */
  errorAt(path: readonly PropertyKey[], problem: string, hint?: string): ConfigError;
}

/** Reads and validates a config file; problems are returned, not thrown, so they can be reported with others. */
export function readConfigFile(path: string, label: string): ConfigFile {
  const text = readTextFile(path, label, 'create it, or pass -c PATH').toString('utf8');
  return parseConfigText(text, label);
}

/** Parses and validates config text; `label` names the file in messages. */
export function parseConfigText(text: string, label: string): ConfigFile {
  const lineCounter = new LineCounter();
  // `merge`: YAML 1.1 merge keys (`<<: *defaults`), as Compose files use them.
  const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true, merge: true});
  const lineOf = (path: readonly PropertyKey[]): number => lineCounter.linePos(locate(doc.contents, path)).line;
  const errorAt = (path: readonly PropertyKey[], problem: string, hint?: string): ConfigError =>
    new ConfigError(`${label}:${lineOf(path)}`, path.length > 0 ? `${formatPath(path)}: ${problem}` : problem, hint);

  if (doc.errors.length > 0) {
    // Errors found at the end of the input (an unclosed quote) belong to the last written line.
    const lastLine = text.trimEnd().split(/\r?\n/).length;
    const errors = doc.errors.map((error) => {
      const line = Math.min(lineCounter.linePos(error.pos[0]).line, lastLine);
      const known = yamlErrorsInOurWords[error.code];
      if (known) return new ConfigError(`${label}:${line}`, known.problem, known.hint);
      // The yaml package's messages end with a code excerpt after a newline; keep one line.
      const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message;
      return new ConfigError(`${label}:${line}`, message);
    });
    return {errors, label, lineOf, errorAt};
  }
  const aliasErrors = findUnresolvedAliases(doc).map(({name, offset}) =>
    new ConfigError(`${label}:${lineCounter.linePos(offset).line}`, `*${name} refers to no anchor`, `define &${name} above it`));
  if (aliasErrors.length > 0) return {errors: aliasErrors, label, lineOf, errorAt};

  keepKeysAsWritten(doc);
  keepEnvValuesAsWritten(doc);
  let value: unknown;
  try {
    value = doc.toJS({maxAliasCount: 100});
  } catch (error) {
    // Aliases expanding beyond maxAliasCount (a "billion laughs" file).
    return {errors: [new ConfigError(label, error instanceof Error ? error.message : String(error))], label, lineOf, errorAt};
  }
  const result = validateConfig(value);
  if (result.config) return {config: result.config, errors: [], label, lineOf, errorAt};
  const errors = result.problems
    .map((problem) => ({line: lineOf(problem.path), error: errorAt(problem.path, problem.message)}))
    .sort((a, b) => a.line - b.line)
    .map(({error}) => error);
  return {errors, label, lineOf, errorAt};
}

/** The yaml package's errors that users meet most, said with the fix. */
const yamlErrorsInOurWords: Partial<Record<string, {problem: string; hint: string}>> = {
  MULTIPLE_DOCS: {problem: 'a second YAML document (after a "---" line)', hint: 'keep one document: remove the "---" and what follows, or merge them'},
  BLOCK_AS_IMPLICIT_KEY: {problem: 'a value holds ": ", which YAML reads as another key', hint: 'quote the value: command: "echo a: b"'},
};

/**
 * An `env:` value is text for the environment: `VERSION: 1.10` or `MODE: 0o17`
 * means the characters written, not the number YAML reads (1.1, 15).
 */
function keepEnvValuesAsWritten(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'env' || !isMap(pair.value)) return;
      for (const variable of pair.value.items) {
        const value = variable.value;
        if (isScalar(value) && value.type === 'PLAIN' && typeof value.value !== 'string' && value.value !== null && value.source !== undefined) value.value = value.source;
      }
    },
  });
}

/**
 * Mapping keys are names (of processes, of env variables): `TRUE:` or `0x10:`
 * under `env:` mean the variable TRUE, not `true` or `16`, which is what
 * YAML's core schema would turn them into.
 */
function keepKeysAsWritten(doc: Document): void {
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.type === 'PLAIN' && typeof pair.key.value !== 'string' && pair.key.source !== undefined) {
        pair.key.value = pair.key.source;
      }
    },
  });
}

/** Aliases (`*name`) with no anchor (`&name`) before them: toJS would throw on them. */
function findUnresolvedAliases(doc: Document): {name: string; offset: number}[] {
  const found: {name: string; offset: number}[] = [];
  visit(doc, {
    Alias(_, node) {
      if (isAlias(node) && node.resolve(doc) === undefined) found.push({name: node.source, offset: node.range?.[0] ?? 0});
    },
  });
  return found;
}

/** `processes.web.env.A`, `env_file[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i > 0 ? '.' : ''}${String(segment)}`))
    .join('');
}

// Walks the YAML tree along `path` and returns the source offset of the last
// key found. Pointing at the key, not the value, puts block mappings
// (`ready:` followed by indented lines) on the line the user reads as "ready".
function locate(root: Node | null, path: readonly PropertyKey[]): number {
  let node: unknown = root;
  let offset = root?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(segment));
      if (!pair) break;
      const keyStart = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      const value = pair.value as Node | null;
      offset = keyStart ?? value?.range?.[0] ?? offset;
      node = value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}
