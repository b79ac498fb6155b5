// A button that shows and hides a panel: the disclosure pattern (aria-expanded on the button,
// `hidden` on the panel), used by the chat panel and the small menus of the control bar. Plain
// buttons inside stay in the tab order, so no arrow-key menu logic is needed. Escape closes the
// panel and gives the focus back to its button; a popover also closes on a click elsewhere.

/**
 * @typedef {object} DisclosureOptions
 * @property {boolean} [closeOnOutsideClick] a popover (true) or a panel that stays open (false)
 * @property {(open: boolean, byUser: boolean) => void} [onChange]
 */

export class Disclosure {
  #button;
  #panel;
  #onChange;

  /**
   * @param {Document} doc
   * @param {HTMLElement} button
   * @param {HTMLElement} panel
   * @param {DisclosureOptions} [options]
   */
  constructor(doc, button, panel, { closeOnOutsideClick = true, onChange = () => {} } = {}) {
    this.#button = button;
    this.#panel = panel;
    this.#onChange = onChange;
    button.setAttribute('aria-expanded', String(!panel.hidden));
    button.addEventListener('click', () => (this.open ? this.hide({ byUser: true }) : this.show({ byUser: true })));
    const escape = (/** @type {KeyboardEvent} */ event) => {
      if (event.key !== 'Escape' || !this.open) return;
      event.preventDefault();
      this.hide({ byUser: true, focusButton: true });
    };
    panel.addEventListener('keydown', escape);
    button.addEventListener('keydown', escape); // opened from the keyboard, the focus is still here

    if (closeOnOutsideClick) {
      doc.addEventListener('click', (/** @type {Event} */ event) => {
        const target = /** @type {Node | null} */ (event.target);
        if (this.open && !button.contains(target) && !panel.contains(target)) this.hide({ byUser: true });
      });
    }
  }

  get open() {
    return !this.#panel.hidden;
  }

  /** @param {{byUser?: boolean}} [options] */
  show({ byUser = false } = {}) {
    if (this.open) return;
    this.#panel.hidden = false;
    this.#button.setAttribute('aria-expanded', 'true');
    this.#onChange(true, byUser);
  }

  /** @param {{byUser?: boolean, focusButton?: boolean}} [options] */
  hide({ byUser = false, focusButton = false } = {}) {
    if (!this.open) return;
    this.#panel.hidden = true;
    this.#button.setAttribute('aria-expanded', 'false');
    if (focusButton) this.#button.focus();
    this.#onChange(false, byUser);
  }
}
