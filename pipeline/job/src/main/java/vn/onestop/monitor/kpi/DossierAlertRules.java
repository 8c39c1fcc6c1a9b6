package vn.onestop.monitor.kpi;

import vn.onestop.monitor.alert.AlertKind;
import vn.onestop.monitor.alert.SlaAlert;
import vn.onestop.monitor.alert.WorkingCalendar;

import vn.onestop.monitor.ingest.DossierEvent;
import vn.onestop.monitor.kpi.DossierClock;
import vn.onestop.monitor.kpi.DossierOutcome;
import vn.onestop.monitor.kpi.DossierStatus;

import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * When a dossier is overdue or at risk, as a pure function of what is known about it and how far time has got
 * ({@code visible}: the stream's event time, never beyond the wall clock). Because the answer is re-derived from
 * the dossier's whole timeline each time, an event arriving late corrects the alert instead of adding another:
 * the alert ends up the same whatever the arrival order.
 */
public final class DossierAlertRules implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long NONE = DossierEvent.NO_TIME;

    private final WorkingCalendar calendar;
    private final Duration atRiskLead;
    /** Many dossiers share a due time (17:00 of a working day): remember the calendar walk for each. */
    private transient Map<Long, Long> atRiskFromByDue;
    private transient String leadHoursText;
    /** The last due time asked about and its answer (valid once atRiskFromByDue exists). */
    private transient long lastDue;
    private transient long lastLeadStart;

    public DossierAlertRules(WorkingCalendar calendar, Duration atRiskLead) {
        this.calendar = calendar;
        this.atRiskLead = atRiskLead;
    }

    private static boolean counts(DossierOutcome o, String unitCode) {
        return o.status() != DossierStatus.PENDING_RECEIPT && o.clock().dueAt() != NONE && unitCode != null;
    }

    /**
     * Overdue: the dossier's clock ran out (its due time moved by the waits that began before it) while the clock
     * was running. The episode opens then and closes when the clock stopped: at the dossier's end or at the start of
     * a supplement wait still open. Time spent waiting never makes a dossier overdue.
     */
    public SlaAlert overdue(String dossierId, String unitCode, DossierOutcome o, long visible) {
        if (!counts(o, unitCode)) {
            return null;
        }
        DossierClock clock = o.clock();
        long due = clock.dueAt();
        long until = clock.runningUntil();
        if (due > visible || due >= until) {
            return null;
        }
        SlaAlert a = base(AlertKind.DOSSIER_OVERDUE, dossierId, unitCode);
        a.openedAt = due;
        a.closedAt = until == Long.MAX_VALUE ? SlaAlert.OPEN : until;
        a.details = "{\"effectiveDueAt\":" + due + ",\"status\":\"" + o.status() + "\"}";
        return a;
    }

    /** The lead time in working hours before the clock's due time, where the calendar walk lands (cached per due time). */
    private long leadStart(long due) {
        // The alert rules ask twice per dossier followed (atRisk, nextChange) with the same due time: answer the
        // second from the last walk without boxing a key.
        if (atRiskFromByDue != null && due == lastDue) {
            return lastLeadStart;
        }
        if (atRiskFromByDue == null || atRiskFromByDue.size() > 50_000) {
            atRiskFromByDue = new HashMap<>();
        }
        Long known = atRiskFromByDue.get(due);
        long lead;
        if (known == null) {
            lead = calendar.workingTimeBefore(due, atRiskLead);
            atRiskFromByDue.put(due, lead);
        } else {
            lead = known;
        }
        lastDue = due;
        lastLeadStart = lead;
        return lead;
    }

    /**
     * At risk: the clock ran inside the lead time before its due time. The episode closes when the dossier turned
     * overdue or its clock stopped, whichever came first.
     */
    public SlaAlert atRisk(String dossierId, String unitCode, long receivedAt, DossierOutcome o, long visible) {
        if (!counts(o, unitCode)) {
            return null;
        }
        DossierClock clock = o.clock();
        long due = clock.dueAt();
        long until = clock.runningUntil();
        long lead = leadStart(due);
        // A dossier whose whole allowance is shorter than the lead time (same-day certification) is born "at risk";
        // alerting on every one of them would bury the ones that matter.
        if (lead == Long.MIN_VALUE || lead <= receivedAt) {
            return null;
        }
        long from = clock.runningFrom(lead);
        if (from > visible || from >= until || from >= due) {
            return null;
        }
        SlaAlert a = base(AlertKind.DOSSIER_AT_RISK, dossierId, unitCode);
        a.openedAt = from;
        // Once the dossier has stopped running the episode's end is known whatever the stream time; while it runs,
        // the at-risk episode ends when it turns overdue.
        a.closedAt = until != Long.MAX_VALUE ? Math.min(until, due) : due <= visible ? due : SlaAlert.OPEN;
        a.details = "{\"effectiveDueAt\":" + due + ",\"leadWorkingHours\":" + leadHours() + "}";
        return a;
    }

    /**
     * The next instant after {@code visible} at which the alerts change with time alone; NONE if never. Ended
     * dossiers count too: an episode that started before the end must still be reported once stream time reaches
     * it, whichever of the end event and the watermark came first.
     */
    public long nextChange(DossierOutcome o, long receivedAt, long visible) {
        if (o.status() == DossierStatus.PENDING_RECEIPT || o.clock().dueAt() == NONE) {
            return NONE;
        }
        DossierClock clock = o.clock();
        long due = clock.dueAt();
        long until = clock.runningUntil();
        long lead = leadStart(due);
        long next = NONE;
        if (lead != Long.MIN_VALUE && lead > receivedAt) {
            long from = clock.runningFrom(lead);
            if (from < until && from < due && from > visible) {
                next = from;
            }
        }
        if (due < until && due > visible && (next == NONE || due < next)) {
            next = due;
        }
        return next;
    }

    /**
     * The due time of a dossier whose clock stopped at or before it (the overdue alert it was spared), NONE if the
     * clock ran past it or it has none. An earlier view of the dossier, without the event that stopped the clock, could
     * have raised the alert from that instant on: {@code DossierProcessor} retracts such an alert after a restore.
     */
    public long overdueAvertedAt(DossierOutcome o, String unitCode) {
        if (!counts(o, unitCode)) {
            return NONE;
        }
        long due = o.clock().dueAt();
        return due >= o.clock().runningUntil() ? due : NONE;
    }

    /** The same for the at-risk alert: when it would have opened, if the clock stopped at or before that instant. */
    public long atRiskAvertedAt(DossierOutcome o, String unitCode, long receivedAt) {
        if (!counts(o, unitCode)) {
            return NONE;
        }
        DossierClock clock = o.clock();
        long due = clock.dueAt();
        long lead = leadStart(due);
        if (lead == Long.MIN_VALUE || lead <= receivedAt) {
            return NONE;
        }
        long from = clock.runningFrom(lead);
        return from < due && from >= clock.runningUntil() ? from : NONE;
    }

    /**
     * The lead time in hours as the at-risk details show it (two decimals), formatted once: String.format for every
     * dossier followed was a visible part of the classifying task's CPU.
     */
    private String leadHours() {
        if (leadHoursText == null) {
            leadHoursText = String.format(Locale.ROOT, "%.2f", atRiskLead.toMinutes() / 60.0);
        }
        return leadHoursText;
    }

    private static SlaAlert base(AlertKind kind, String dossierId, String unitCode) {
        SlaAlert a = new SlaAlert();
        a.kind = kind;
        a.unitCode = unitCode;
        return identify(a, dossierId);
    }

    /**
     * Gives a dossier alert its id and dossier: the per-dossier state stores neither (they are the state's key), so
     * an alert read back from state gets them here before it is compared or retracted. Returns the alert (or null).
     */
    static SlaAlert identify(SlaAlert a, String dossierId) {
        if (a != null && a.dossierId == null) {
            a.id = a.kind + "|" + dossierId;
            a.dossierId = dossierId;
        }
        return a;
    }
}
