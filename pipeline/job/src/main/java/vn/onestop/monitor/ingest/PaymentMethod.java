package vn.onestop.monitor.ingest;

/**
 * How a fee was paid (issue 16, indicators 3.5–3.6): through the national portal's payment platform, a local
 * (provincial) payment gateway, or in cash at the office. Only the first two count as paid online.
 */
public enum PaymentMethod {
    NATIONAL_PORTAL,
    LOCAL_GATEWAY,
    CASH;

    public boolean isOnline() {
        return this != CASH;
    }
}
