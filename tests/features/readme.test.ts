import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/features/schema.js';
import { REPO } from '../helpers/cli.js';

describe('README', () => {
  it('documents every window feature with the meaning the code gives it', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    for (const f of FEATURES) expect(readme).toContain(`| \`${f.name}\` | ${f.description} |`);
  });
});
