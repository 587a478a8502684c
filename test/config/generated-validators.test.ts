import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../src/config/generate-validators.js';

describe('the generated validators', () => {
  it.each(generatedFiles().map((f) => [basename(f.path), f]))(
    '%s is what its schema generates now',
    (_path, { current, expected }) => {
      // Stale: run `npm run generate:validators` and commit the result.
      expect(current === expected, 'run `npm run generate:validators`').toBe(true);
    },
  );
});
