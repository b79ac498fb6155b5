/** Rooms: created by name, listed in the lobby with live call counts, each with a shareable URL. */
package dev.confab.room;
