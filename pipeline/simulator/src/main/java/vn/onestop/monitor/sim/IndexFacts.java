package vn.onestop.monitor.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The optional national-index facts of a simulated dossier (docs/CONTRACT.md, issue 16), drawn from a random stream of
 * their own, seeded by the dossier's sequence number, so the lifecycles (and every count other tests expect from the
 * simulator) are exactly what they were before these facts existed.
 *
 * <p>Shares are plausible for a district in 2024, not measured: most receipts reach the national portal, VNeID is
 * usual online and less so at the counter, fees are paid online for online dossiers and mostly in cash at the counter.
 */
final class IndexFacts {
    /** Fee procedures per the catalogue flag {@code has_fee} of procedures.csv. */
    private static final Set<String> FEE_PROCEDURES = DistrictReference.read(DistrictReference.PROCEDURES).stream()
            .filter(row -> "true".equals(row.get("has_fee"))).map(row -> row.get("code")).collect(Collectors.toUnmodifiableSet());
    /** Typical fees in đồng (copies of civil-status extracts 8 000, certification 10 000 …); 0 = the citizen is exempt. */
    private static final long[] AMOUNTS = {0, 8_000, 10_000, 20_000, 50_000, 100_000};
    private static final double[] AMOUNT_WEIGHTS = {0.06, 0.30, 0.24, 0.20, 0.12, 0.08};

    private final String onlineMode;
    private final boolean synced;
    private final boolean reused;
    private final boolean personalStore;
    private final boolean vneid;
    private final boolean electronicResult;
    private final String paymentMethod;
    private final long amount;
    private final boolean payAtReceipt;

    private IndexFacts(Dossier d) {
        SplittableRandom r = new SplittableRandom(0x766L * 1_000_003L + d.seq());
        boolean online = d.channel() == Channel.ONLINE;
        String drawnMode = online ? (r.nextDouble() < 0.4 ? "FULL" : "PARTIAL") : null;
        // The unit's catalogue decides where it has a say (unit_procedures.csv); the draw stays, so the stream does too.
        String catalogued = online ? OnlineCatalogue.service(d.unitCode(), d.procedureCode()) : null;
        onlineMode = catalogued != null ? catalogued : drawnMode;
        synced = r.nextDouble() < 0.92;
        reused = r.nextDouble() < 0.35;
        personalStore = r.nextDouble() < (online ? 0.3 : 0.1);
        vneid = r.nextDouble() < (online ? 0.85 : 0.4);
        electronicResult = r.nextDouble() < 0.75;
        if (FEE_PROCEDURES.contains(d.procedureCode()) && r.nextDouble() < 0.95) {
            double m = r.nextDouble();
            paymentMethod = online ? (m < 0.55 ? "NATIONAL_PORTAL" : m < 0.9 ? "LOCAL_GATEWAY" : "CASH")
                    : (m < 0.7 ? "CASH" : m < 0.9 ? "LOCAL_GATEWAY" : "NATIONAL_PORTAL");
            amount = AMOUNTS[Lifecycle.pick(AMOUNT_WEIGHTS, r)];
            // Online, the fee is paid with the submission; at the counter, when the result is collected.
            payAtReceipt = online;
        } else {
            paymentMethod = null;
            amount = 0;
            payAtReceipt = false;
        }
    }

    static IndexFacts of(Dossier d) {
        return new IndexFacts(d);
    }

    /** Adds what the event of {@code step} says: intake facts on the receipt, the result on RESOLVED, the fee when paid. */
    void addTo(ObjectNode n, Step step) {
        switch (step) {
            case RECEIVED -> {
                if (onlineMode != null) {
                    n.put("onlineMode", onlineMode);
                }
                n.put("syncedToPortal", synced);
                n.put("reusedData", reused);
                n.put("personalDataStore", personalStore);
                n.put("vneid", vneid);
                if (paymentMethod != null && payAtReceipt) {
                    payment(n);
                }
            }
            case RESOLVED -> n.put("electronicResult", electronicResult);
            case RETURNED -> {
                if (paymentMethod != null && !payAtReceipt) {
                    payment(n);
                }
            }
            default -> { }
        }
    }

    private void payment(ObjectNode n) {
        ObjectNode p = n.putObject("payment");
        p.put("method", paymentMethod);
        p.put("amount", amount);
    }
}
