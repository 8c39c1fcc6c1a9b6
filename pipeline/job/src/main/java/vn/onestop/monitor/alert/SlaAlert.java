package vn.onestop.monitor.alert;

import java.util.Objects;

/**
 * One alert as the officers see it: a row of {@code sla_alert} and a message on {@code sla-alerts}. The id is
 * derived from what the alert is about, so a replay or restart rewrites the same row. A {@code retracted} alert is
 * one that later-arriving events showed never happened (e.g. the dossier was in fact resolved before its due time):
 * the row is deleted and other systems get the retraction.
 */
public class SlaAlert {
    public static final long OPEN = Long.MIN_VALUE;

    public String id;
    public AlertKind kind;
    public String unitCode;
    public String dossierId;
    public String kpi;
    public double value = Double.NaN;
    public double target = Double.NaN;
    public long openedAt;
    public long closedAt = OPEN;
    public String details;
    public boolean retracted;

    public SlaAlert() {}

    public boolean isOpen() {
        return closedAt == OPEN;
    }

    public SlaAlert retraction() {
        SlaAlert r = copy();
        r.retracted = true;
        return r;
    }

    public SlaAlert copy() {
        SlaAlert c = new SlaAlert();
        c.id = id;
        c.kind = kind;
        c.unitCode = unitCode;
        c.dossierId = dossierId;
        c.kpi = kpi;
        c.value = value;
        c.target = target;
        c.openedAt = openedAt;
        c.closedAt = closedAt;
        c.details = details;
        c.retracted = retracted;
        return c;
    }

    /** Same alert, same state: nothing to send again. */
    public boolean sameAs(SlaAlert o) {
        return o != null && retracted == o.retracted && openedAt == o.openedAt && closedAt == o.closedAt
                && Objects.equals(id, o.id) && Objects.equals(details, o.details)
                && Double.compare(value, o.value) == 0 && Double.compare(target, o.target) == 0;
    }

    @Override
    public String toString() {
        return kind + " " + id + " opened " + openedAt + (isOpen() ? " open" : " closed " + closedAt) + (retracted ? " RETRACTED" : "");
    }
}
