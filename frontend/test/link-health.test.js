// Link levels, paths and the sentences of call/link-health.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FAIR_LOSS_PCT,
  FAIR_RTT_MS,
  POOR_LOSS_PCT,
  POOR_RTT_MS,
  describeLink,
  describePath,
  formatBitrate,
  formatLoss,
  healthSummary,
  linkLevel,
} from '../src/call/link-health.js';

test('levels: poor over 5 % loss or 400 ms, fair over 2 % or 200 ms, unknown without figures', () => {
  assert.deepEqual([POOR_LOSS_PCT, POOR_RTT_MS, FAIR_LOSS_PCT, FAIR_RTT_MS], [5, 400, 2, 200]);
  assert.equal(linkLevel({ rttMs: null, lossPct: null }), 'unknown');
  assert.equal(linkLevel({ rttMs: NaN, lossPct: undefined }), 'unknown', 'junk is not a figure');
  assert.equal(linkLevel({ rttMs: 40, lossPct: 0 }), 'good');
  assert.equal(linkLevel({ rttMs: 40, lossPct: null }), 'good', 'one figure is enough');
  assert.equal(linkLevel({ rttMs: 200, lossPct: 2 }), 'good', 'the limits themselves are still good');
  assert.equal(linkLevel({ rttMs: 201, lossPct: 0 }), 'fair');
  assert.equal(linkLevel({ rttMs: 40, lossPct: 2.5 }), 'fair');
  assert.equal(linkLevel({ rttMs: 401, lossPct: 0 }), 'poor');
  assert.equal(linkLevel({ rttMs: 40, lossPct: 9 }), 'poor');
  assert.equal(linkLevel({ rttMs: null, lossPct: 6 }), 'poor');
  assert.equal(linkLevel({ rttMs: 250, lossPct: 6 }), 'poor', 'the worse figure decides');
});

test('paths: host, srflx and prflx pairs are direct; a local relay names its protocol', () => {
  for (const local of ['host', 'srflx', 'prflx']) {
    for (const remote of ['host', 'srflx', 'prflx']) assert.equal(describePath(local, remote, null), 'direct', `${local}/${remote}`);
  }
  assert.equal(describePath('relay', 'host', 'udp'), 'relayed through TURN over UDP');
  assert.equal(describePath('relay', 'srflx', 'tcp'), 'relayed through TURN over TCP');
  assert.equal(describePath('relay', 'relay', 'tls'), 'relayed through TURN over TLS');
  assert.equal(describePath('relay', 'host', undefined), 'relayed through TURN', 'a browser that does not say how');
  assert.equal(describePath('relay', 'host', 'quic<script>'), 'relayed through TURN', 'an unknown protocol is not repeated');
  assert.equal(describePath('host', 'relay', null), "relayed through the other side's TURN server");
  assert.equal(describePath(null, null, null), null, 'no pair yet');
});

test('figures in words', () => {
  assert.equal(formatBitrate(1_234_567), '1.2 Mbit/s');
  assert.equal(formatBitrate(350_400), '350 kbit/s');
  assert.equal(formatBitrate(0), '0 kbit/s');
  assert.equal(formatBitrate(null), 'unknown');
  assert.equal(formatLoss(0), 'no loss');
  assert.equal(formatLoss(2.345), '2.3 % of packets lost');
  assert.equal(formatLoss(12.6), '13 % of packets lost');
});

test('the indicator text: level, round trip, loss and what comes in', () => {
  assert.equal(describeLink('bob', { rttMs: 40.2, lossPct: 0, inBps: 1_200_000 }), 'Good connection to bob: 40 ms round trip, no loss, 1.2 Mbit/s in');
  assert.equal(describeLink('carol', { rttMs: 450, lossPct: 9, inBps: null }), 'Poor connection to carol: 450 ms round trip, 9 % of packets lost');
  assert.equal(describeLink('dan', { rttMs: 250, lossPct: null }), 'Fair connection to dan: 250 ms round trip, loss unknown');
  assert.equal(describeLink('eve', { rttMs: null, lossPct: null }), 'Connection to eve: measuring…');
});

test('the summary: all good, the one poor link and why, several, still measuring', () => {
  const good = { rttMs: 30, lossPct: 0 };
  assert.equal(healthSummary([]), 'Nobody else is connected yet.');
  assert.equal(healthSummary([{ name: 'bob', ...good }]), 'Your connection to bob is good.');
  assert.equal(healthSummary([{ name: 'bob', ...good }, { name: 'carol', ...good }]), 'All 2 connections are good.');
  assert.equal(
    healthSummary([{ name: 'carol', ...good }, { name: 'bob', rttMs: 30, lossPct: 9 }]),
    'Your connection to bob is poor: 9 % of packets lost.',
  );
  assert.equal(
    healthSummary([{ name: 'bob', rttMs: 500, lossPct: 7 }, { name: 'carol', ...good }]),
    'Your connection to bob is poor: 7 % of packets lost and 500 ms round trip.',
  );
  assert.equal(
    healthSummary([{ name: 'bob', rttMs: 30, lossPct: 9 }, { name: 'carol', rttMs: 450, lossPct: 0 }, { name: 'dan', ...good }]),
    '2 of 3 connections are poor: bob (9 % of packets lost) and carol (450 ms round trip).',
  );
  assert.equal(
    healthSummary([{ name: 'bob', rttMs: 250, lossPct: 0 }, { name: 'carol', ...good }]),
    'Your connection to bob is fair: 250 ms round trip.',
    'no poor link: the fair one is named',
  );
  assert.equal(
    healthSummary([{ name: 'bob', rttMs: 30, lossPct: 9 }, { name: 'carol', rttMs: 250, lossPct: 0 }]),
    'Your connection to bob is poor: 9 % of packets lost.',
    'the worst level first',
  );
  assert.equal(healthSummary([{ name: 'bob', rttMs: null, lossPct: null }]), 'Measuring the connection…');
  assert.equal(healthSummary([{ name: 'bob', rttMs: null, lossPct: null }, { name: 'c', rttMs: null, lossPct: null }]), 'Measuring the 2 connections…');
  assert.equal(healthSummary([{ name: 'bob', ...good }, { name: 'carol', rttMs: null, lossPct: null }]), '1 connection is good; still measuring 1.');
});
