package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.ingest.EventType;

import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicInteger;

/** Builds dossier events for tests; times are local (+07:00) ISO strings as in the contract. */
final class Events {
    private static final AtomicInteger IDS = new AtomicInteger();

    private Events() {}

    static long t(String localIso) {
        return OffsetDateTime.parse(localIso.contains("+") || localIso.endsWith("Z") ? localIso : localIso + "+07:00").toInstant().toEpochMilli();
    }

    static DossierEvent received(String dossier, String at, String due) {
        DossierEvent e = event(dossier, EventType.RECEIVED, at);
        e.unitCode = "11248";
        e.procedureCode = "1.001612";
        e.channel = Channel.ONLINE;
        e.dueAt = t(due);
        e.digitised = true;
        return e;
    }

    static DossierEvent resolved(String dossier, String at) {
        DossierEvent e = event(dossier, EventType.RESOLVED, at);
        e.resultDigitised = true;
        return e;
    }

    static DossierEvent event(String dossier, EventType type, String at) {
        DossierEvent e = new DossierEvent();
        e.eventId = "e-" + IDS.incrementAndGet();
        e.dossierId = dossier;
        e.type = type;
        e.occurredAt = t(at);
        e.topic = "dossier-events";
        e.offset = IDS.get();
        return e;
    }
}
