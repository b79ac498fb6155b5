package dev.confab.identity;

import org.springframework.http.HttpStatus;

/** Why a login was refused, in words for the person at the form. */
final class LoginRefusedException extends RuntimeException {

	private final HttpStatus status;

	private final String field;

	LoginRefusedException(HttpStatus status, String field, String message) {
		super(message, null, false, false);
		this.status = status;
		this.field = field;
	}

	static LoginRefusedException invalid(InvalidNameException ex) {
		return new LoginRefusedException(HttpStatus.BAD_REQUEST, ex.field(), ex.getMessage());
	}

	/** 400 for a name the rules refuse, 409 for a name bound to someone else. */
	HttpStatus status() {
		return status;
	}

	/** The form field to fix: {@code screenName} or {@code realName}. */
	String field() {
		return field;
	}
}
