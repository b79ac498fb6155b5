// A very small DOM for the UI tests: elements with ids, classes, data-* and attributes, a tree,
// querySelector / querySelectorAll / closest / matches for simple selectors (tag, #id, .class,
// [attr], [attr="value"], compounds joined by descendant spaces; querySelector also takes a
// comma list), events that bubble up to the document, focus, and plain fields (hidden, disabled,
// value, scrollTop...). Enough to see what a tile, a panel or a button ends up showing.

/** @param {string} name data-foo-bar → fooBar */
const datasetKey = (name) => name.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/**
 * @param {FakeElement} element
 * @param {string} compound e.g. li[data-participant], .tile.remote, #tiles
 */
function matchesCompound(element, compound) {
  if (compound === '*') return true;
  const parts = compound.match(/#[\w-]+|\.[\w-]+|\[[^\]]+\]|^[\w-]+/g) ?? [];
  return parts.every((part) => {
    if (part.startsWith('#')) return element.id === part.slice(1);
    if (part.startsWith('.')) return element.classList.contains(part.slice(1));
    if (part.startsWith('[')) {
      const [, name, value] = /^\[([\w-]+)(?:="([^"]*)")?\]$/.exec(part) ?? [];
      const actual = element.getAttribute(name);
      return value === undefined ? actual !== null : actual === value;
    }
    return element.tagName === part.toUpperCase();
  });
}

export class FakeElement {
  /** @param {string} tagName @param {FakeDocument} doc */
  constructor(tagName, doc) {
    this.tagName = tagName.toUpperCase();
    this.ownerDocument = doc;
    this.id = '';
    this.className = '';
    /** @type {Record<string, string>} */
    this.dataset = {};
    /** @type {Record<string, string>} */
    this.attributes = {};
    /** @type {FakeElement[]} */
    this.children = [];
    /** @type {FakeElement | null} */
    this.parent = null;
    this.ownText = '';
    /** @type {Map<string, Function[]>} */
    this.listeners = new Map();
    /** @type {FakeStyle | undefined} created on first use of `style` */
    this.inlineStyle = undefined;
  }

  get classList() {
    const names = () => this.className.split(/\s+/).filter(Boolean);
    return {
      contains: (/** @type {string} */ name) => names().includes(name),
      add: (/** @type {string[]} */ ...added) => {
        this.className = [...new Set([...names(), ...added])].join(' ');
      },
      remove: (/** @type {string[]} */ ...removed) => {
        this.className = names().filter((n) => !removed.includes(n)).join(' ');
      },
      toggle: (/** @type {string} */ name, /** @type {boolean | undefined} */ force) => {
        const on = force ?? !names().includes(name);
        if (on) this.classList.add(name);
        else this.classList.remove(name);
        return on;
      },
    };
  }

  get parentElement() {
    return this.parent;
  }

  /** The element's inline style, as script sets it (setProperty, getPropertyValue, removeProperty). */
  get style() {
    this.inlineStyle ??= new FakeStyle();
    return this.inlineStyle;
  }

  /** @param {string} type @param {Function} fn */
  addEventListener(type, fn) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }

  /** @param {string} type @param {Function} fn */
  removeEventListener(type, fn) {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((f) => f !== fn));
  }

  /**
   * Runs the listeners of this element, then of its ancestors, then of the document.
   * @param {FakeEvent} event
   */
  dispatchEvent(event) {
    if (!event.target) event.target = this;
    /** @type {FakeElement | FakeDocument | null} */
    let node = this;
    while (node && !event.propagationStopped) {
      event.currentTarget = node;
      for (const fn of node.listeners.get(event.type) ?? []) fn(event);
      node = node instanceof FakeElement ? (node.parent ?? (node.isConnected ? node.ownerDocument : null)) : null;
    }
    return !event.defaultPrevented;
  }

  /** A click as a user makes it: nothing happens on a disabled button. */
  click() {
    if (this.disabled) return;
    this.dispatchEvent(new FakeEvent('click'));
  }

  focus() {
    this.ownerDocument.activeElement = this;
  }

  blur() {
    if (this.ownerDocument.activeElement === this) this.ownerDocument.activeElement = this.ownerDocument.body;
  }

  /** Whether the element is in its document's tree. */
  get isConnected() {
    /** @type {FakeElement | null} */
    let node = this;
    while (node.parent) node = node.parent;
    return node === this.ownerDocument.body;
  }

  /** @param {FakeElement | null} node */
  contains(node) {
    for (let at = node; at; at = at.parent) if (at === this) return true;
    return false;
  }

  /** @param {string} selector one compound, e.g. .tile or [data-admit] */
  matches(selector) {
    return selector.split(',').some((one) => matchesCompound(this, one.trim()));
  }

  /** @param {string} selector one compound (or a comma list of them) */
  closest(selector) {
    for (let at = /** @type {FakeElement | null} */ (this); at; at = at.parent) if (at.matches(selector)) return at;
    return null;
  }

  get textContent() {
    return this.ownText + this.children.map((c) => c.textContent).join('');
  }

  set textContent(text) {
    for (const child of this.children) child.parent = null;
    this.children = [];
    this.ownText = String(text);
  }

  /** @param {string} name @param {string} value */
  setAttribute(name, value) {
    if (name.startsWith('data-')) this.dataset[datasetKey(name)] = String(value);
    else this.attributes[name] = String(value);
  }

  /** @param {string} name */
  removeAttribute(name) {
    if (name.startsWith('data-')) delete this.dataset[datasetKey(name)];
    else delete this.attributes[name];
  }

  /** @param {string} name */
  hasAttribute(name) {
    return this.getAttribute(name) !== null;
  }

  /** @param {string} name */
  getAttribute(name) {
    if (name === 'id') return this.id || null;
    if (name.startsWith('data-')) return this.dataset[datasetKey(name)] ?? null;
    return this.attributes[name] ?? null;
  }

  get firstElementChild() {
    return this.children[0] ?? null;
  }

  /** @param {string} selector simple compounds joined by descendant spaces */
  querySelectorAll(selector) {
    const compounds = selector.trim().split(/\s+/);
    /** @type {FakeElement[]} */
    const found = [];
    /** @param {FakeElement} element */
    const visit = (element) => {
      for (const child of element.children) {
        if (matchesCompound(child, compounds[compounds.length - 1]) && child.#hasAncestors(compounds.slice(0, -1), this)) found.push(child);
        visit(child);
      }
    };
    visit(this);
    return found;
  }

  /**
   * Whether ancestors up to (not including) `root`'s parent match the compounds, innermost last.
   * @param {string[]} compounds
   * @param {FakeElement} root
   */
  #hasAncestors(compounds, root) {
    let at = compounds.length - 1;
    /** @type {FakeElement | null} */
    let node = this.parent;
    while (at >= 0 && node) {
      if (matchesCompound(node, compounds[at])) at--;
      if (node === root) break;
      node = node.parent;
    }
    return at < 0;
  }

  /** @param {...FakeElement} nodes */
  append(...nodes) {
    for (const node of nodes) this.#insert(node, this.children.length);
  }

  /** @param {...FakeElement} nodes */
  prepend(...nodes) {
    nodes.forEach((node, i) => this.#insert(node, i));
  }

  /** @param {FakeElement} node */
  before(node) {
    const parent = this.parent;
    if (!parent) return;
    node.remove();
    parent.#insert(node, parent.children.indexOf(this));
  }

  /** @param {FakeElement} node */
  after(node) {
    const parent = this.parent;
    if (parent) parent.#insert(node, parent.children.indexOf(this) + 1);
  }

  remove() {
    if (!this.parent) return;
    this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }

  /** @param {string} selector as querySelectorAll, or a comma list of such */
  querySelector(selector) {
    const found = selector.split(',').flatMap((one) => this.querySelectorAll(one));
    if (!found.length) return null;
    // The first in document order, as a browser answers.
    const all = this.querySelectorAll('*');
    return found.sort((a, b) => all.indexOf(a) - all.indexOf(b))[0];
  }

  /** @param {FakeElement} node @param {number} at */
  #insert(node, at) {
    node.remove();
    node.parent = this;
    this.children.splice(at, 0, node);
  }
}

/** An inline style declaration: just the properties set on it. */
export class FakeStyle {
  /** @type {Map<string, string>} */
  properties = new Map();

  /** @param {string} name @param {string} value */
  setProperty(name, value) {
    this.properties.set(name, String(value));
  }

  /** @param {string} name */
  getPropertyValue(name) {
    return this.properties.get(name) ?? '';
  }

  /** @param {string} name */
  removeProperty(name) {
    const before = this.getPropertyValue(name);
    this.properties.delete(name);
    return before;
  }
}

/** What listeners get: type, target, and the fields the tests set (key, shiftKey...). */
export class FakeEvent {
  /** @param {string} type @param {Record<string, unknown>} [fields] */
  constructor(type, fields = {}) {
    this.type = type;
    /** @type {FakeElement | null} */
    this.target = null;
    /** @type {FakeElement | FakeDocument | null} */
    this.currentTarget = null;
    this.defaultPrevented = false;
    this.propagationStopped = false;
    Object.assign(this, fields);
  }

  preventDefault() {
    this.defaultPrevented = true;
  }

  stopPropagation() {
    this.propagationStopped = true;
  }
}

export class FakeDocument {
  constructor() {
    this.body = new FakeElement('body', this);
    /** @type {FakeElement} */
    this.activeElement = this.body;
    /** @type {Map<string, Function[]>} */
    this.listeners = new Map();
  }

  /** @param {string} type @param {Function} fn */
  addEventListener(type, fn) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }

  /** @param {string} type @param {Function} fn */
  removeEventListener(type, fn) {
    this.listeners.set(type, (this.listeners.get(type) ?? []).filter((f) => f !== fn));
  }

  /** @param {string} selector */
  querySelector(selector) {
    const root = new FakeElement('html', this);
    root.children = [this.body];
    const found = root.querySelector(selector);
    return found;
  }

  /** @param {string} tagName */
  createElement(tagName) {
    return new FakeElement(tagName, this);
  }

  /** @param {string} selector */
  querySelectorAll(selector) {
    const root = new FakeElement('html', this);
    root.children = [this.body];
    const found = root.querySelectorAll(selector);
    return found;
  }

  /** @param {string} id */
  getElementById(id) {
    /** @param {FakeElement} element @returns {FakeElement | null} */
    const find = (element) => {
      if (element.id === id) return element;
      for (const child of element.children) {
        const found = find(child);
        if (found) return found;
      }
      return null;
    };
    return find(this.body);
  }
}

/**
 * A document with #tiles and one remote tile, as the server renders it (docs/protocol.md).
 * @param {string} id
 * @param {string} name
 */
export function documentWithTile(id, name) {
  const doc = new FakeDocument();
  const tiles = doc.createElement('div');
  tiles.id = 'tiles';
  const tile = doc.createElement('figure');
  tile.className = 'tile remote';
  tile.id = `tile-${id}`;
  tile.dataset.participant = id;
  const video = doc.createElement('video');
  const caption = doc.createElement('figcaption');
  const nameSpan = doc.createElement('span');
  nameSpan.className = 'name';
  nameSpan.textContent = name;
  caption.append(nameSpan);
  tile.append(video, caption);
  tiles.append(tile);
  doc.body.append(tiles);
  return { doc, tile };
}
