// A window for modules that watch the DOM: MutationObserver and ResizeObserver fakes that fire
// only when a test says so (mutated / resized), and a requestAnimationFrame that runs on flush().

/**
 * @typedef {object} FakeWindow
 * @property {Function} MutationObserver
 * @property {Function} ResizeObserver
 * @property {(fn: () => void) => number} requestAnimationFrame
 * @property {(target: object, record?: { addedNodes?: object[], removedNodes?: object[] }) => void} mutated
 *   runs the callbacks of the MutationObservers watching target
 * @property {(target: object) => void} resized runs the callbacks of the ResizeObservers watching target
 * @property {() => void} flush runs the animation frames asked for so far
 * @property {() => number} observing how many observers watch something
 */

/** @returns {FakeWindow} */
export function fakeWindow() {
  /** @type {{ target: object, callback: Function, kind: 'mutation' | 'resize' }[]} */
  const watching = [];
  /** @type {Array<() => void>} */
  let frames = [];

  class MutationObserver {
    /** @param {Function} callback */
    constructor(callback) {
      this.callback = callback;
    }

    /** @param {object} target */
    observe(target) {
      watching.push({ target, callback: this.callback, kind: 'mutation' });
    }

    disconnect() {
      for (let i = watching.length - 1; i >= 0; i--) if (watching[i].callback === this.callback) watching.splice(i, 1);
    }
  }

  class ResizeObserver extends MutationObserver {
    /** @param {object} target */
    observe(target) {
      watching.push({ target, callback: this.callback, kind: 'resize' });
    }
  }

  return {
    MutationObserver,
    ResizeObserver,
    requestAnimationFrame: (fn) => frames.push(fn),
    mutated: (target, { addedNodes = [], removedNodes = [] } = {}) => {
      for (const w of watching) if (w.kind === 'mutation' && w.target === target) w.callback([{ type: 'childList', target, addedNodes, removedNodes }]);
    },
    resized: (target) => {
      for (const w of watching) if (w.kind === 'resize' && w.target === target) w.callback([{ target }]);
    },
    flush: () => {
      const now = frames;
      frames = [];
      for (const fn of now) fn();
    },
    observing: () => watching.length,
  };
}
