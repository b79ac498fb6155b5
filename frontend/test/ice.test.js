import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidateType, hasTurn, isTurnAuthError, problemKind, relayInStats } from '../src/call/ice.js';

test('hasTurn: any turn: or turns: URL, in a string or a list', () => {
  assert.equal(hasTurn([]), false);
  assert.equal(hasTurn(null), false);
  assert.equal(hasTurn([{ urls: 'stun:stun.example.org' }, { urls: ['stun:a', 'stun:b'] }]), false);
  assert.equal(hasTurn([{ urls: 'turn:turn.example.org:3478' }]), true);
  assert.equal(hasTurn([{ urls: ['stun:a', 'turns:turn.example.org:443?transport=tcp'] }]), true);
  assert.equal(hasTurn([{ urls: ['TURN:turn.example.org'] }]), true);
});

test('candidateType: RTCIceCandidate.type, or the "typ" of the candidate line', () => {
  assert.equal(candidateType(null), null);
  assert.equal(candidateType({ type: 'relay', candidate: '' }), 'relay');
  assert.equal(candidateType({ candidate: 'candidate:1 1 udp 41885439 203.0.113.7 50000 typ relay raddr 0.0.0.0 rport 0' }), 'relay');
  assert.equal(candidateType({ candidate: 'candidate:2 1 udp 2122260223 10.0.0.1 50001 typ host generation 0' }), 'host');
  assert.equal(candidateType({ candidate: '' }), null);
});

test('relayInStats: a local-candidate of type relay; remote ones do not count; a failing getStats is no', async () => {
  /** @param {object[]} reports */
  const pc = (reports) => ({ getStats: async () => new Map(reports.map((r, i) => [`s${i}`, r])) });
  assert.equal(await relayInStats(pc([{ type: 'local-candidate', candidateType: 'host' }])), false);
  assert.equal(await relayInStats(pc([{ type: 'remote-candidate', candidateType: 'relay' }])), false);
  assert.equal(await relayInStats(pc([{ type: 'local-candidate', candidateType: 'host' }, { type: 'local-candidate', candidateType: 'relay' }])), true);
  assert.equal(await relayInStats({ getStats: async () => Promise.reject(new Error('closed')) }), false);
  assert.equal(await relayInStats({}), false);
});

test('isTurnAuthError: 401 / 403 from a TURN URL only', () => {
  assert.equal(isTurnAuthError({ url: 'turn:turn.example.org:3478?transport=udp', errorCode: 401 }), true);
  assert.equal(isTurnAuthError({ url: 'turns:turn.example.org:443', errorCode: 403 }), true);
  assert.equal(isTurnAuthError({ url: 'turn:turn.example.org:3478', errorCode: 701 }), false);
  assert.equal(isTurnAuthError({ url: 'stun:stun.example.org', errorCode: 401 }), false);
  assert.equal(isTurnAuthError(null), false);
});

test('problemKind: signalling first, then TURN configured, reached, refused', () => {
  const base = { reason: /** @type {const} */ ('failed'), answered: true, turnConfigured: true, turnReachable: false, turnRefused: false, relayOnly: false };
  assert.equal(problemKind({ ...base, answered: false }), 'no-answer');
  assert.equal(problemKind({ ...base, turnConfigured: false }), 'no-turn');
  assert.equal(problemKind(base), 'turn-unreachable');
  assert.equal(problemKind({ ...base, turnRefused: true }), 'turn-refused');
  assert.equal(problemKind({ ...base, turnReachable: true }), 'relay-failed');
});

test('isHiddenHost: a host candidate named x.local; a real address, or another type, is not', async () => {
  const { isHiddenHost } = await import('../src/call/ice.js');
  assert.equal(isHiddenHost({ candidate: 'candidate:1 1 udp 2122260223 4f3c2a1e-9b.local 50001 typ host generation 0' }), true);
  assert.equal(isHiddenHost({ type: 'host', address: 'abc.local', candidate: '' }), true);
  assert.equal(isHiddenHost({ candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50001 typ host generation 0' }), false);
  assert.equal(isHiddenHost({ candidate: 'candidate:1 1 udp 1686052607 x.local 50001 typ srflx raddr 0.0.0.0 rport 0' }), false);
  assert.equal(isHiddenHost(null), false);
});

test('problemKind: hidden addresses and no TURN is "hidden-address", not a TURN problem', () => {
  const base = { reason: 'failed', answered: true, turnConfigured: false, turnReachable: false, turnRefused: false, relayOnly: false };
  assert.equal(problemKind(/** @type {any} */ (base)), 'no-turn');
  assert.equal(problemKind(/** @type {any} */ ({ ...base, localHidden: true })), 'hidden-address');
  assert.equal(problemKind(/** @type {any} */ ({ ...base, remoteHidden: true })), 'hidden-address');
  assert.equal(problemKind(/** @type {any} */ ({ ...base, remoteHidden: true, answered: false })), 'no-answer');
  assert.equal(problemKind(/** @type {any} */ ({ ...base, localHidden: true, turnConfigured: true })), 'turn-unreachable');
});

test('HostCandidates: a side is hidden only when every host candidate it had was an mDNS name', async () => {
  const { HostCandidates } = await import('../src/call/ice.js');
  const hosts = new HostCandidates();
  assert.deepEqual(hosts.findings(), { localHidden: false, remoteHidden: false }, 'no candidates: nothing known');
  hosts.saw('local', { candidate: 'candidate:1 1 udp 2122260223 a1.local 50001 typ host' });
  hosts.saw('remote', { candidate: 'candidate:1 1 udp 2122260223 b2.local 50001 typ host' });
  hosts.saw('remote', { candidate: 'candidate:2 1 udp 2122260223 192.0.2.4 50002 typ host' });
  hosts.saw('local', { candidate: 'candidate:3 1 udp 1686052607 198.51.100.1 50003 typ srflx raddr 0.0.0.0 rport 0' });
  hosts.saw('local', null);
  assert.deepEqual(hosts.findings(), { localHidden: true, remoteHidden: false });
});
