package vn.onestop.monitor.kpi;

import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.ingest.DossierEvent;

/**
 * Everything the classify-dossiers operator keeps about one dossier, in one keyed value so that an event costs one
 * state lookup: the {@link DossierTimeline} folded from its events, the alerts last sent for it (to send only changes
 * and retract what vanished) and the event-time timer it has registered. Written to state and savepoints by
 * {@link DossierStateSerializer}, whose snapshot carries the layout version.
 */
public final class DossierState {
    final DossierTimeline timeline;
    /**
     * The event-time timer registered for the dossier, {@link DossierEvent#NO_TIME} if none: at or before the next
     * moment its alerts or its expiry can change with time alone (timers are moved lazily, see DossierProcessor#moveTimer).
     */
    long timer = DossierEvent.NO_TIME;
    /**
     * The alerts standing (last sent, not retracted). Their {@code id} and {@code dossierId} are the dossier's key,
     * which the serializer does not store: {@link DossierAlertRules#identify} restores them on use.
     */
    SlaAlert overdue;
    SlaAlert atRisk;

    public DossierState() {
        this(new DossierTimeline());
    }

    public DossierState(DossierTimeline timeline) {
        this.timeline = timeline;
    }

    public DossierTimeline timeline() {
        return timeline;
    }
}
