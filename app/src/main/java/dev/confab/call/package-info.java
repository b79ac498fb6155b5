/** Calls: who is in which room's call, the talk's join sequence, signal relay and leaves. */
package dev.confab.call;
