// Test helpers: a signalling wire between two endpoints and a polling wait.

/**
 * Carries messages between two named endpoints, in order, one per task, through a JSON round
 * trip (what goes over the real wire must survive JSON). `hold()` queues messages until
 * `release()`, so a test can make two offers cross; `lose()` drops some on the way.
 */
export class Wire {
  /** @type {{from: string, message: any}[]} every message ever sent, in order */
  log = [];
  /** @type {Map<string, (message: any) => unknown>} */
  #receivers = new Map();
  /** @type {{to: string, message: any}[]} */
  #queue = [];
  #held = false;
  #pumping = false;
  /** @type {((from: string, message: any) => boolean) | null} */
  #lose = null;

  /**
   * @param {string} name
   * @param {(message: any) => unknown} receive
   */
  attach(name, receive) {
    this.#receivers.set(name, receive);
  }

  /**
   * A send function for `from`, delivering to `to`.
   * @param {string} from
   * @param {string} to
   */
  sender(from, to) {
    return (/** @type {unknown} */ message) => {
      const copy = JSON.parse(JSON.stringify(message));
      this.log.push({ from, message: copy });
      if (this.#lose?.(from, copy)) return;
      this.#queue.push({ to, message: copy });
      this.#pump();
    };
  }

  /**
   * Loses (logs, never delivers) the messages sent from now on that `which` picks; null: none.
   * @param {((from: string, message: any) => boolean) | null} which
   */
  lose(which) {
    this.#lose = which;
  }

  hold() {
    this.#held = true;
  }

  release() {
    this.#held = false;
    this.#pump();
  }

  get pending() {
    return this.#queue.length;
  }

  #pump() {
    if (this.#held || this.#pumping || !this.#queue.length) return;
    this.#pumping = true;
    setTimeout(() => {
      this.#pumping = false;
      if (this.#held) return;
      const next = this.#queue.shift();
      if (next) this.#receivers.get(next.to)?.(next.message);
      this.#pump();
    }, 0);
  }
}

/**
 * Resolves once `condition()` is true; rejects with `what` after `timeoutMs`.
 * @param {() => boolean} condition
 * @param {string} what
 * @param {number} [timeoutMs]
 */
export async function until(condition, what, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Lets every queued task run (a few rounds of setTimeout 0). */
export async function settle(rounds = 20) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
