package vn.onestop.monitor.kpi;

import vn.onestop.monitor.ingest.Channel;
import vn.onestop.monitor.ingest.EventType;
import vn.onestop.monitor.ingest.LocalClock;

import java.util.ArrayList;
import java.util.List;

/**
 * A dossier's entries in the hourly counts, (unit, hour, measure), each counting one: the receipt in the hour it was
 * received, the classification in the hour processing ended, a withdrawal in its hour. The operator takes the
 * contribution before and after each event and sends only the {@link #diff}, so a late event moves a dossier from
 * one measure or hour to another instead of counting it twice. A handful of entries, kept in plain arrays because
 * this runs twice for every event.
 */
public final class Contribution {
    private final String[] units = new String[8];
    private final long[] hours = new long[8];
    private final int[] measures = new int[8];
    private int size;

    /** The contribution of a dossier whose receipt is not known: nothing. Never added to. */
    static final Contribution NONE = new Contribution();

    /** What the dossier folded so far adds to the counts, given its outcome now. */
    public static Contribution of(DossierTimeline t, DossierOutcome o) {
        return new Contribution().set(t, o);
    }

    /**
     * This contribution, emptied and made that of {@code t} with outcome {@code o}: the operator keeps two and
     * reuses them for every event ({@link #diff} keeps nothing of them). Returns this.
     */
    Contribution set(DossierTimeline t, DossierOutcome o) {
        Contribution out = this;
        java.util.Arrays.fill(units, 0, size, null);
        size = 0;
        if (!t.hasReceipt) {
            return out;
        }
        String unit = t.unitCode;
        Channel ch = t.channel;
        out.add(unit, t.receivedAt, Measure.RECEIVED);
        out.add(unit, t.receivedAt, ch == Channel.ONLINE ? Measure.RECEIVED_ONLINE : ch == Channel.POSTAL ? Measure.RECEIVED_POSTAL : Measure.RECEIVED_DIRECT);
        if (t.digitised) {
            out.add(unit, t.receivedAt, Measure.RECEIVED_DIGITISED);
        }
        if (o.status().isClassified()) {
            long end = o.endedAt();
            out.add(unit, end, Measure.RESOLVED);
            out.add(unit, end, switch (o.status()) {
                case EARLY -> Measure.RESOLVED_EARLY;
                case ON_TIME -> Measure.RESOLVED_ON_TIME;
                default -> Measure.RESOLVED_LATE;
            });
            if (o.endType() == EventType.RESOLVED && t.resultDigitised) {
                out.add(unit, end, Measure.RESULTS_DIGITISED);
            }
            long took = end - t.receivedAt;
            if (took >= 0 && took <= LocalClock.HOUR_MS) {
                out.add(unit, end, Measure.RESOLVED_WITHIN_HOUR);
            }
        } else if (o.status() == DossierStatus.WITHDRAWN) {
            out.add(unit, t.withdrawnAt, Measure.WITHDRAWN);
        }
        return out;
    }

    void add(String unit, long at, Measure m) {
        units[size] = unit;
        hours[size] = LocalClock.hourStart(at);
        measures[size] = m.ordinal();
        size++;
    }

    public int size() {
        return size;
    }

    /** The changes to hourly counts between two contributions: subtract what was, add what is. */
    public static List<UnitHourDelta> diff(Contribution before, Contribution after) {
        List<UnitHourDelta> changes = new ArrayList<>(2);
        // One bit per entry of after (at most 8) already matched by an entry of before.
        int matched = 0;
        for (int i = 0; i < before.size; i++) {
            int j = after.find(matched, before.units[i], before.hours[i], before.measures[i]);
            if (j >= 0) {
                matched |= 1 << j;
            } else {
                delta(changes, before.units[i], before.hours[i]).delta[before.measures[i]] -= 1;
            }
        }
        for (int j = 0; j < after.size; j++) {
            if ((matched & (1 << j)) == 0) {
                delta(changes, after.units[j], after.hours[j]).delta[after.measures[j]] += 1;
            }
        }
        return changes;
    }

    private int find(int taken, String unit, long hour, int measure) {
        for (int j = 0; j < size; j++) {
            if ((taken & (1 << j)) == 0 && measures[j] == measure && hours[j] == hour && units[j].equals(unit)) {
                return j;
            }
        }
        return -1;
    }

    private static UnitHourDelta delta(List<UnitHourDelta> changes, String unit, long hour) {
        for (UnitHourDelta d : changes) {
            if (d.hourStart == hour && d.unitCode.equals(unit)) {
                return d;
            }
        }
        UnitHourDelta d = new UnitHourDelta(unit, hour, new int[Measure.COUNT]);
        changes.add(d);
        return d;
    }
}
