package dev.confab.call;

/** A client broke the protocol on purpose or by bug: it gets an ERROR frame with this message and is closed. */
class ProtocolViolation extends RuntimeException {

	ProtocolViolation(String message) {
		super(message, null, false, false);
	}
}
