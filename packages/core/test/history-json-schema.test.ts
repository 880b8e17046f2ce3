import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsJsonSchema } from '../src/history/schema.js';

const PUBLISHED = join(import.meta.dirname, '..', '..', '..', 'docs', 'metrics.schema.json');

describe('docs/metrics.schema.json', () => {
  it('is the JSON Schema generated from the history zod schema (run node scripts/metrics-schema.mjs when this fails)', () => {
    const published = JSON.parse(readFileSync(PUBLISHED, 'utf8')) as unknown;
    expect(published).toEqual(metricsJsonSchema());
  });

  it('describes the SPEC §8 document: schema_version 1 and runs with their required fields', () => {
    const schema = metricsJsonSchema() as {
      required: string[];
      properties: { schema_version: { const: number }; runs: { items: { required: string[] } } };
    };
    expect(schema.required).toEqual(['schema_version', 'runs']);
    expect(schema.properties.schema_version.const).toBe(1);
    expect(schema.properties.runs.items.required).toEqual(
      expect.arrayContaining(['id', 'lane', 'workflow', 'started_at', 'duration_s', 'status', 'iterations', 'sla']),
    );
  });
});
