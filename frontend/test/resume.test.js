import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RELOAD_WINDOW_MS, RESUME_KEY_PREFIX, ResumeStore, isResumeRefusal, isTakenOver, nextStep } from '../src/call/resume.js';

/** sessionStorage in memory; `broken` makes every call throw, as blocked storage does. */
function storage(broken = false) {
  /** @type {Map<string, string>} */
  const items = new Map();
  const check = () => {
    if (broken) throw new DOMException('blocked', 'SecurityError');
  };
  return {
    items,
    getItem: (/** @type {string} */ key) => (check(), items.get(key) ?? null),
    setItem: (/** @type {string} */ key, /** @type {string} */ value) => (check(), void items.set(key, value)),
    removeItem: (/** @type {string} */ key) => (check(), void items.delete(key)),
  };
}

test('nextStep: in a call resume it; with a token from before a reload resume fresh; else join if wanted', () => {
  const token = { id: 'B', secret: 's' };
  assert.equal(nextStep({ token, inCall: true, wantInCall: true }), 'resume');
  assert.equal(nextStep({ token, inCall: false, wantInCall: true }), 'resume-fresh');
  assert.equal(nextStep({ token: null, inCall: false, wantInCall: true }), 'join');
  assert.equal(nextStep({ token: null, inCall: true, wantInCall: true }), 'join', 'no token (an old server): join again');
  assert.equal(nextStep({ token: null, inCall: false, wantInCall: false }), 'none');
  assert.equal(nextStep({ token, inCall: false, wantInCall: false }), 'none');
});

test('the ERRORs about a resume are told apart', () => {
  assert.equal(isResumeRefusal('Cannot resume: unknown participant or wrong secret; join again.'), true);
  assert.equal(isResumeRefusal('Cannot resume: the grace period is over; join again.'), true);
  assert.equal(isResumeRefusal('Not a resume request.'), true);
  assert.equal(isResumeRefusal('Server shutting down; reconnect.'), false);
  assert.equal(isTakenOver('This call continues on another connection.'), true);
  assert.equal(isTakenOver('Cannot resume: the grace period is over; join again.'), false);
});

test('the token is kept per room under confab.resume.<slug>, and forgotten', () => {
  const s = storage();
  const store = new ResumeStore(s, 'standup');
  assert.equal(store.key, `${RESUME_KEY_PREFIX}standup`);
  assert.equal(store.load(), null);
  store.save({ id: 'B', secret: 's3cret' });
  assert.deepEqual(store.load(), { id: 'B', secret: 's3cret' });
  assert.equal(new ResumeStore(s, 'other').load(), null, 'another room has its own');
  store.forget();
  assert.equal(store.load(), null);
  assert.equal(s.items.size, 0);
});

test('after the page went away the token serves a reload, not a visit much later', () => {
  let now = 1_000_000;
  const s = storage();
  const store = new ResumeStore(s, 'standup', () => now);
  store.save({ id: 'B', secret: 's' });
  assert.deepEqual(store.loadAfterReload(), { id: 'B', secret: 's' }, 'never went away (a crash): still good');
  store.markLeft();
  now += 2000;
  assert.deepEqual(store.loadAfterReload(), { id: 'B', secret: 's' }, 'a reload');
  now += RELOAD_WINDOW_MS;
  assert.equal(store.loadAfterReload(), null, 'too late');
  assert.equal(store.load(), null, 'and forgotten');
});

test('unreadable entries and blocked storage mean "no token", never an exception', () => {
  const s = storage();
  s.items.set(`${RESUME_KEY_PREFIX}standup`, '{not json');
  assert.equal(new ResumeStore(s, 'standup').load(), null);
  s.items.set(`${RESUME_KEY_PREFIX}standup`, JSON.stringify({ id: 'B' }));
  assert.equal(new ResumeStore(s, 'standup').load(), null);

  const blocked = new ResumeStore(storage(true), 'standup');
  blocked.save({ id: 'B', secret: 's' });
  blocked.markLeft();
  blocked.forget();
  assert.equal(blocked.load(), null);
  assert.equal(new ResumeStore(null, 'standup').loadAfterReload(), null);
});
