import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvePluginConfig } from '../src/config.js';
import { CLI_OVERRIDES_ENV } from '../src/options.js';

describe('plugin configuration', () => {
  afterEach(() => {
    delete process.env[CLI_OVERRIDES_ENV];
  });

  // merging itself is core's (mergeConfigs, resolveLayeredConfig): packages/core/test/adapter-support.test.ts

  it('reads lanebench.config.* at the root, merges the plugin options and the CLI overrides over it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lanebench-vitest-config-'));
    writeFileSync(
      join(root, 'lanebench.config.json'),
      JSON.stringify({ outputDir: 'from-file', lanes: { docs: { iterations: 7 } } }),
    );
    process.env[CLI_OVERRIDES_ENV] = JSON.stringify({ config: { strict: true }, workflow: { iterations: 2 } });
    const { config, workflowOverrides } = await resolvePluginConfig(root, { outputDir: 'from-plugin' });
    expect(config.outputDir).toBe(join(root, 'from-plugin'));
    expect(config.lanes.docs?.iterations).toBe(7);
    expect(config.strict).toBe(true);
    expect(config.configFile).toBe(join(root, 'lanebench.config.json'));
    expect(workflowOverrides).toEqual({ iterations: 2 });
  });

  it('names the source of a bad value', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lanebench-vitest-config-'));
    await expect(resolvePluginConfig(root, { lanes: { docs: { iterations: 0 } } })).rejects.toThrow(
      /lanebench\(\) plugin options: lanes\.docs\.iterations: 0 is not valid; expected an integer from 1 to 100/,
    );
  });

  it('loads TypeScript config files through the given importer (Vitest)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lanebench-vitest-config-'));
    writeFileSync(join(root, 'lanebench.config.ts'), 'export default {}');
    const imported: string[] = [];
    const { config } = await resolvePluginConfig(root, {}, (file) => {
      imported.push(file);
      return Promise.resolve({ default: { lanes: { docs: { iterations: 9 } } } });
    });
    expect(imported).toEqual([join(root, 'lanebench.config.ts')]);
    expect(config.lanes.docs?.iterations).toBe(9);
  });
});
