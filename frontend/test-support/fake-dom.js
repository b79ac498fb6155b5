// A very small DOM for CallUi tests: elements with ids, classes, data-* and attributes, a tree,
// querySelector for one tag name or one ".class", and querySelectorAll for simple selectors
// (tag, #id, .class, [attr], [attr="value"], joined by descendant spaces). Enough to see what a
// tile ends up showing.

/** @param {string} name data-foo-bar → fooBar */
const datasetKey = (name) => name.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/**
 * @param {FakeElement} element
 * @param {string} compound e.g. li[data-participant], .tile.remote, #tiles
 */
function matchesCompound(element, compound) {
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
  }

  get classList() {
    return { contains: (/** @type {string} */ name) => this.className.split(/\s+/).includes(name) };
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
  after(node) {
    const parent = this.parent;
    if (parent) parent.#insert(node, parent.children.indexOf(this) + 1);
  }

  remove() {
    if (!this.parent) return;
    this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }

  /** @param {string} selector a tag name or ".class" */
  querySelector(selector) {
    for (const child of this.children) {
      const matches = selector.startsWith('.') ? child.classList.contains(selector.slice(1)) : child.tagName === selector.toUpperCase();
      if (matches) return child;
      const deeper = child.querySelector(selector);
      if (deeper) return deeper;
    }
    return null;
  }

  /** @param {FakeElement} node @param {number} at */
  #insert(node, at) {
    node.remove();
    node.parent = this;
    this.children.splice(at, 0, node);
  }
}

export class FakeDocument {
  constructor() {
    this.body = new FakeElement('body', this);
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
