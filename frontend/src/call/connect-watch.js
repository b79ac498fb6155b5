// When one peer connection should be up, and what to do when it is not: a connection not
// connected within CONNECT_TIMEOUT_MS of its creation (or of an ICE restart) is reported as a
// problem; one still "new" after STALL_PATIENCE_MS never even started ICE, which then has no
// timeout of its own to end it (a signal went missing), so its peer is asked to recover, and asked
// again while it stays stuck. No RTCPeerConnection here: the peer says what "stuck" means.

/** ICE gives up on unreachable candidates after about 30 s; users should hear sooner. */
export const CONNECT_TIMEOUT_MS = 20000;

/** Offer, answer and first candidates take a few round trips; this is many times that. */
export const STALL_PATIENCE_MS = 8000;

export class ConnectWatch {
  #timeoutMs;
  #stallMs;
  #onTimeout;
  #onStall;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timeout;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #stall;

  /**
   * @param {{timeoutMs: number, stallMs: number, onTimeout: () => void, onStall: () => void}} options
   * onStall runs every stallMs from arm() until connected() or close(); it decides whether anything is stuck
   */
  constructor({ timeoutMs, stallMs, onTimeout, onStall }) {
    this.#timeoutMs = timeoutMs;
    this.#stallMs = stallMs;
    this.#onTimeout = onTimeout;
    this.#onStall = onStall;
  }

  /** A new attempt begins: the connection is created, or restarts ICE. */
  arm() {
    this.endTimeout();
    this.#timeout = setTimeout(this.#onTimeout, this.#timeoutMs);
    this.#watchStall();
  }

  /** The problem is reported already (the connection failed): the timeout has nothing to add. */
  endTimeout() {
    clearTimeout(this.#timeout);
  }

  connected() {
    clearTimeout(this.#timeout);
    clearTimeout(this.#stall);
  }

  close() {
    this.connected();
  }

  #watchStall() {
    clearTimeout(this.#stall);
    this.#stall = setTimeout(() => {
      this.#onStall();
      this.#watchStall();
    }, this.#stallMs);
  }
}
