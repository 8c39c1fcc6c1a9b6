package vn.onestop.monitor.kpi;

import org.junit.jupiter.api.Test;
import vn.onestop.monitor.ingest.Feedback;
import vn.onestop.monitor.ingest.Rating;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fingerprints are kept in state, so their values may never change: these were computed by the two implementations
 * that {@link Fingerprint} replaced (DossierTimeline's and FeedbackProcessor's; the first also appears in
 * {@code DossierStateFormatTest}'s bytes), and must stay as they are.
 */
class FingerprintTest {
    @Test
    void eventIdsKeepTheirValues() {
        assertThat(Fingerprint.eventId("r")).isEqualTo(0x8a663919615d7230L);
        assertThat(Fingerprint.eventId("")).isEqualTo(0xaf64724c8602eb6eL);
    }

    @Test
    void ratingsKeepTheirValues() {
        Feedback f = new Feedback();
        f.unitCode = "11380";
        f.submittedAt = 1_705_300_000_000L;
        f.rating = Rating.SATISFIED;
        f.dossierId = null;
        assertThat(Fingerprint.content(f)).isEqualTo(0xf8634274f380be5fL);
        f.dossierId = "000.00.11380.H23-240115-0001";
        assertThat(Fingerprint.content(f)).isNotEqualTo(0xf8634274f380be5fL);
    }
}
