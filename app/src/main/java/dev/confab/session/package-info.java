/** What a connected client session is to the rest of Confab, independent of the transport that carries it. */
package dev.confab.session;
