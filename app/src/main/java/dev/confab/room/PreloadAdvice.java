package dev.confab.room;

import java.util.List;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Gives every view the stylesheet's parts as {@code stylePreloads}, for the head's preload hints. */
@ControllerAdvice
class PreloadAdvice {

	private final Preloads preloads;

	PreloadAdvice(Preloads preloads) {
		this.preloads = preloads;
	}

	@ModelAttribute("stylePreloads")
	List<String> stylePreloads() {
		return this.preloads.styleParts();
	}
}
