/** In-call chat: messages to everyone in a room's call, their history, and how they are rendered. */
package dev.confab.chat;
