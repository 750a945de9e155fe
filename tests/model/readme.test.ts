/** The README's behaviour table gives `anomaly` the advice its alerts carry, as for detectors. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnomalyDetector } from '../../src/model/anomaly.js';
import { REPO } from '../helpers/cli.js';

describe('README', () => {
  it('has the anomaly row with the advice of the model’s anomaly alerts', () => {
    const d = new AnomalyDetector();
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith('| `anomaly`')) ?? '';
    expect(row.startsWith('| `anomaly` ●')).toBe(d.needsBaseline);
    expect(row).toContain(`| ${d.advice} |`);
  });
});
