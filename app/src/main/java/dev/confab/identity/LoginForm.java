package dev.confab.identity;

/** What the login form shows back: the names exactly as the user typed them. */
public record LoginForm(String screenName, String realName) {

	static final LoginForm EMPTY = new LoginForm("", "");

	/** Echoing more than this back is never useful, and a long value is refused anyway. */
	private static final int MAX_ECHO = 256;

	public LoginForm {
		screenName = clip(screenName);
		realName = clip(realName);
	}

	private static String clip(String value) {
		if (value == null) {
			return "";
		}
		if (value.length() <= MAX_ECHO) {
			return value;
		}
		int end = Character.isHighSurrogate(value.charAt(MAX_ECHO - 1)) ? MAX_ECHO - 1 : MAX_ECHO;
		return value.substring(0, end);
	}
}
