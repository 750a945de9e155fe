import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDetectors } from '../../src/detect/index.js';
import { BEHAVIOURS } from '../../src/detect/types.js';
import { REPO } from '../helpers/cli.js';

describe('README', () => {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');

  it('has a row for every behaviour, with the advice the alerts give', () => {
    for (const b of BEHAVIOURS) expect(readme).toMatch(new RegExp(`\\| \`${b}\`( ●)? \\|`));
    for (const d of createDetectors()) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${d.behaviour}\``)) ?? '';
      expect(row).toContain(`| ${d.advice} |`);
      expect(row.startsWith(`| \`${d.behaviour}\` ●`)).toBe(d.needsBaseline);
    }
  });
});
