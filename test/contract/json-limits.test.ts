import { expect, it } from 'vitest';
import { jsonLimitProblem } from '../../src/contract/json-limits.js';

it('names the place of a problem as a person reads it', () => {
  const value = JSON.parse('{"args":{"holders":[{"name":"ok"},{"name":"\\ud800"}]}}') as unknown;
  expect(jsonLimitProblem(value, 32)).toBe('args.holders[1].name: a string with a lone surrogate');
  expect(jsonLimitProblem(JSON.parse('[[1e400]]'), 32)).toBe('[0][0]: a number out of range');
  expect(jsonLimitProblem(JSON.parse('{"a":[[]]}'), 2)).toBe(
    'a[0]: nested deeper than 2 levels of objects and arrays',
  );
});

it('accepts wide values at the limit, and any scalar', () => {
  expect(jsonLimitProblem(new Array(2_000_000).fill(1), 1)).toBeUndefined();
  expect(jsonLimitProblem({ a: { b: [] } }, 3)).toBeUndefined();
  expect(jsonLimitProblem('text', 0)).toBeUndefined();
});
