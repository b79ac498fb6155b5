import { test } from 'node:test';
import assert from 'node:assert/strict';
import { refusalText, refusalTone, sentence } from '../src/call/join-outcomes.js';

test('the server\'s sentence wins; without one, each reason has its own', () => {
  assert.equal(refusalText('full', 'This room is full: 8 people are in the call.'), 'This room is full: 8 people are in the call.');
  assert.equal(refusalText('locked', undefined), 'This room is locked.');
  assert.equal(refusalText('refused', '  '), 'The owner did not let you in.');
  assert.equal(refusalText('toString', null), 'You cannot join this call now.');
  assert.equal(sentence(42, 'fallback'), 'fallback');
});

test('locked and full are warnings; removed and refused are errors', () => {
  assert.deepEqual(['locked', 'full', 'removed', 'refused', ''].map(refusalTone), ['warn', 'warn', 'error', 'error', 'error']);
});
