// Link health on the page: a small indicator in each remote tile (.link-health, data-level,
// a tooltip and a label in plain words) and the call health panel (#health-panel, opened by
// #toggle-health) listing every link of the mesh with its path and figures, a one-sentence
// summary and the upload budget. Everything a peer or the server named (names) goes in with
// textContent; rows are updated in place, so a screen reader's position and the focus survive
// the poll each second.

import { Disclosure } from './disclosure.js';
import { describeLink, formatBitrate, healthSummary, levelWord, linkLevel } from './link-health.js';

/**
 * @typedef {import('./stats-poller.js').LinkStats} LinkStats
 * @typedef {import('./link-health.js').LinkLevel} LinkLevel
 *
 * @typedef {object} Row
 * @property {HTMLElement} item
 * @property {Record<string, HTMLElement>} fields name, level, path, rtt, loss, in, out
 */

/** The summary is a live region: between level changes it is rewritten at most this often. */
export const SUMMARY_REFRESH_MS = 10_000;

const FIGURES = /** @type {const} */ ([
  ['path', 'Path'],
  ['rtt', 'Round trip'],
  ['loss', 'Loss'],
  ['in', 'Receiving'],
  ['out', 'Sending'],
]);

/** @param {number | null} ms */
const rttText = (ms) => (ms === null ? 'unknown' : `${Math.round(ms)} ms`);
/** @param {number | null} pct */
const lossText = (pct) => (pct === null ? 'unknown' : `${pct < 10 ? Number(pct.toFixed(1)) : Math.round(pct)} %`);

/** @param {HTMLElement} element @param {string} text writes only a change (live regions, selection) */
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/** @param {HTMLElement} element @param {string} name @param {string} value */
function setAttr(element, name, value) {
  if (element.getAttribute(name) !== value) element.setAttribute(name, value);
}

export class HealthPanel {
  #doc;
  #nameOf;
  #now;
  /** @type {Disclosure | null} */
  #panel = null;
  /** @type {Map<string, Row>} */
  #rows = new Map();
  /** @type {HTMLElement | null} */
  #list = null;
  #summaryKey = '';
  #summaryAt = -Infinity;

  /**
   * @param {{doc: Document, nameOf?: (id: string) => string | null, now?: () => number}} options
   */
  constructor({ doc, nameOf = () => null, now = Date.now }) {
    this.#doc = doc;
    this.#nameOf = nameOf;
    this.#now = now;
    const toggle = doc.getElementById('toggle-health');
    const panel = doc.getElementById('health-panel');
    if (toggle && panel) {
      this.#panel = new Disclosure(doc, toggle, panel, {
        closeOnOutsideClick: false, // read beside the call, like the chat
        onChange: (open, byUser) => {
          doc.body.dataset.health = open ? 'open' : 'closed';
          // On a phone the panel covers its button: the focus goes in.
          if (open && byUser) /** @type {HTMLElement | null} */ (doc.getElementById('close-health'))?.focus();
        },
      });
      doc.body.dataset.health = this.open ? 'open' : 'closed';
    }
    doc.getElementById('close-health')?.addEventListener('click', () => this.#panel?.hide({ byUser: true, focusButton: true }));
  }

  get open() {
    return this.#panel?.open ?? false;
  }

  /** @param {boolean} open */
  setOpen(open) {
    if (open) this.#panel?.show();
    else this.#panel?.hide();
  }

  /**
   * Shows the links as measured now.
   * @param {Map<string, LinkStats>} links by participant id
   * @param {string} budgetText
   */
  render(links, budgetText) {
    /** @type {(LinkStats & {name: string})[]} */
    const named = [...links.values()].map((link) => ({ ...link, name: this.#name(link.id) }));
    for (const link of named) this.#indicate(link);
    this.#dropIndicators(links);
    this.#renderList(named);
    this.#renderSummary(named);
    const budget = this.#doc.getElementById('budget-text');
    if (budget) setText(budget, budgetText);
  }

  /** The call ended: no indicators, no rows. */
  clear() {
    this.#dropIndicators(new Map());
    for (const row of this.#rows.values()) row.item.remove();
    this.#rows.clear();
    this.#summaryKey = '';
    this.#summaryAt = -Infinity;
    const summary = this.#doc.getElementById('health-summary');
    if (summary) setText(summary, 'Join the call to see how each connection is doing.');
    const budget = this.#doc.getElementById('budget-text');
    if (budget) setText(budget, '');
  }

  /** @param {string} id */
  #name(id) {
    const given = this.#nameOf(id);
    if (given) return given;
    const shown = this.#doc.getElementById(`tile-${id}`)?.querySelector('.name')?.textContent?.trim();
    return shown || 'someone';
  }

  /** @param {LinkStats & {name: string}} link */
  #indicate(link) {
    const tile = this.#doc.getElementById(`tile-${link.id}`);
    if (!tile) return;
    let dot = /** @type {HTMLElement | null} */ (tile.querySelector('.link-health'));
    if (!dot) {
      dot = this.#doc.createElement('span');
      dot.className = 'link-health';
      dot.setAttribute('role', 'img');
      for (let i = 0; i < 3; i++) {
        const bar = this.#doc.createElement('span');
        bar.className = 'bar';
        dot.append(bar);
      }
      tile.append(dot);
    }
    const level = linkLevel(link);
    const text = describeLink(link.name, link);
    if (dot.dataset.level !== level) dot.dataset.level = level;
    setAttr(dot, 'title', text);
    setAttr(dot, 'aria-label', text);
  }

  /** @param {Map<string, unknown>} links indicators of tiles without a link go */
  #dropIndicators(links) {
    for (const dot of this.#doc.querySelectorAll('.link-health')) {
      const tile = dot.closest('.tile');
      const id = tile?.id.startsWith('tile-') ? tile.id.slice('tile-'.length) : null;
      if (!id || !links.has(id)) dot.remove();
    }
  }

  /** @param {(LinkStats & {name: string})[]} links */
  #renderList(links) {
    const host = this.#doc.getElementById('health-links');
    if (!host) return;
    if (!this.#list || !host.contains(this.#list)) {
      this.#list = this.#doc.createElement('ul');
      this.#list.className = 'health-list';
      host.append(this.#list);
      this.#rows.clear();
    }
    const present = new Set(links.map((link) => link.id));
    for (const [id, row] of this.#rows) {
      if (present.has(id)) continue;
      row.item.remove();
      this.#rows.delete(id);
    }
    for (const link of links) {
      const row = this.#rows.get(link.id) ?? this.#newRow(link.id);
      const level = linkLevel(link);
      if (row.item.dataset.level !== level) row.item.dataset.level = level;
      setText(row.fields.name, link.name);
      setText(row.fields.level, level === 'unknown' ? 'Measuring' : levelWord(level));
      setText(row.fields.path, link.path ?? 'not connected yet');
      setText(row.fields.rtt, rttText(link.rttMs));
      setText(row.fields.loss, lossText(link.lossPct));
      setText(row.fields.in, formatBitrate(link.inBps));
      setText(row.fields.out, formatBitrate(link.outBps));
    }
  }

  /** @param {string} id @returns {Row} */
  #newRow(id) {
    const doc = this.#doc;
    const item = doc.createElement('li');
    item.className = 'health-link';
    item.dataset.participant = id;
    const head = doc.createElement('div');
    head.className = 'health-link-head';
    /** @type {Record<string, HTMLElement>} */
    const fields = {};
    fields.name = doc.createElement('span');
    fields.name.className = 'name';
    fields.level = doc.createElement('span');
    fields.level.className = 'health-level';
    head.append(fields.name, fields.level);
    const figures = doc.createElement('dl');
    figures.className = 'health-figures';
    for (const [key, label] of FIGURES) {
      const group = doc.createElement('div');
      const term = doc.createElement('dt');
      term.textContent = label;
      fields[key] = doc.createElement('dd');
      group.append(term, fields[key]);
      figures.append(group);
    }
    item.append(head, figures);
    this.#list?.append(item);
    const row = { item, fields };
    this.#rows.set(id, row);
    return row;
  }

  /** @param {(LinkStats & {name: string})[]} links */
  #renderSummary(links) {
    const summary = this.#doc.getElementById('health-summary');
    if (!summary) return;
    const key = links.map((link) => `${link.id}:${link.name}:${linkLevel(link)}`).join('|');
    const now = this.#now();
    if (key === this.#summaryKey && now - this.#summaryAt < SUMMARY_REFRESH_MS) return;
    this.#summaryKey = key;
    this.#summaryAt = now;
    setText(summary, healthSummary(links));
  }
}
