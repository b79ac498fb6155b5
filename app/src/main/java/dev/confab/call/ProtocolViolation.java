package dev.confab.call;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/** A client broke the protocol on purpose or by bug: it gets an ERROR frame with this message and is closed. */
class ProtocolViolation extends RuntimeException {

	private static final Log logger = LogFactory.getLog(ProtocolViolation.class);

	ProtocolViolation(String message) {
		super(message, null, false, false);
	}

	/** What the client is told: the violation's message, or a generic one for a failure of ours (logged). */
	static String reasonFor(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ProtocolViolation violation) {
				return violation.getMessage();
			}
		}
		logger.warn("Call request failed", ex);
		return "The request could not be handled.";
	}
}
