package vn.onestop.monitor.sim;

import java.time.Instant;

/** What the receipt says about a simulated dossier: the content of its RECEIVED event. */
record Dossier(long seq, String id, String unitCode, String procedureCode, int statutoryHours, Channel channel,
               Instant receivedAt, Instant dueAt, boolean digitised) {
}
