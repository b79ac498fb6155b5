// Closing, reloading or navigating away from a page in a call asks first (the browser's own
// "Leave site?" prompt): a stray Ctrl+W should not drop someone out of a meeting. Browsers show
// it only after the user has interacted with the page, and word it themselves.

/**
 * @param {{win: Pick<Window, 'addEventListener' | 'removeEventListener'>, inCall: () => boolean}} options
 * @returns {() => void} removes the guard
 */
export function installLeaveGuard({ win, inCall }) {
  /** @param {BeforeUnloadEvent} event */
  const onBeforeUnload = (event) => {
    if (!inCall()) return;
    event.preventDefault();
    event.returnValue = ''; // older browsers want it set to show the prompt
  };
  win.addEventListener('beforeunload', onBeforeUnload);
  return () => win.removeEventListener('beforeunload', onBeforeUnload);
}
