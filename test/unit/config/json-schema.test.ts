import {describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import {renderJsonSchema} from '../../../src/config/schema.js';

describe('shipped JSON Schema', () => {
  it('matches the zod schema (regenerate with: node scripts/gen-schema.mjs)', () => {
    const shipped = readFileSync(new URL('../../../schema/procdeck.schema.json', import.meta.url), 'utf8');
    expect(shipped).toBe(renderJsonSchema());
  });

  it('is strict and lists every process key', () => {
    const schema = JSON.parse(renderJsonSchema());
    expect(schema.additionalProperties).toBe(false);
    const processSchema = schema.properties.processes.additionalProperties;
    expect(processSchema.additionalProperties).toBe(false);
    expect(Object.keys(processSchema.properties).sort()).toEqual([
      'autostart', 'backoff', 'command', 'cron', 'cwd', 'depends_on', 'env', 'instances', 'max_memory',
      'max_restarts', 'oneshot', 'ready', 'restart', 'stop_signal', 'stop_timeout',
    ]);
  });
});
