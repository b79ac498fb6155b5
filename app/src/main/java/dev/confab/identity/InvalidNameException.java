package dev.confab.identity;

/** A name the rules refuse; the message is written for the person who typed it. */
final class InvalidNameException extends RuntimeException {

	private final String field;

	InvalidNameException(String field, String message) {
		super(message, null, false, false);
		this.field = field;
	}

	/** The form field at fault: {@code screenName} or {@code realName}. */
	String field() {
		return field;
	}
}
