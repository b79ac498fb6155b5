// docs/protocol.md, "The features data channel": the documented message is what this module
// sends and accepts. The server never sees the channel, so this is its contract test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseFeatures, serializeFeatures } from '../src/call/features-channel.js';

const HEADING = '### The features data channel';

/** The first ```json block under the heading. */
function documentedMessage() {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf(HEADING));
  assert.ok(section.startsWith(HEADING), `docs/protocol.md has a section "${HEADING}"`);
  const block = /```json\n([\s\S]*?)\n```/.exec(section.slice(0, section.indexOf('\n### ', HEADING.length)));
  assert.ok(block, 'the section shows a json message');
  return block[1].trim();
}

test('the documented features message is accepted as it is, and is what we send for that state', () => {
  const text = documentedMessage();
  const features = parseFeatures(text);
  assert.ok(features, `accepted: ${text}`);
  assert.equal(typeof features.screen, 'string', 'the example names a screen stream');
  assert.deepEqual(JSON.parse(serializeFeatures(features)), JSON.parse(text));
});
