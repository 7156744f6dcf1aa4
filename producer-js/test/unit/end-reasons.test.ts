import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reasonOf, truncate } from '../../src/internal/end-reasons';

describe('end reasons', () => {
  it('name the failure by its type and message, as the Java library does', () => {
    assert.equal(reasonOf(new TypeError('fetch failed')), 'TypeError: fetch failed');
    assert.equal(reasonOf(new RangeError('')), 'RangeError');
    assert.equal(reasonOf('socket hang up'), 'socket hang up');
    assert.equal(reasonOf(undefined), undefined);
  });

  it('are at most 256 characters and never split a surrogate pair', () => {
    assert.equal(truncate('x'.repeat(300))?.length, 256);
    const cut = truncate('x'.repeat(255) + '😀' + 'y');

    assert.equal(cut, 'x'.repeat(255));
  });
});
