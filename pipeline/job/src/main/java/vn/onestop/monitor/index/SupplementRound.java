package vn.onestop.monitor.index;

import java.time.Instant;

/**
 * One request for additional documents and the citizen's answer.
 *
 * @param requestedAt when the officer asked ("Yêu cầu bổ sung hồ sơ")
 * @param suppliedAt  when the citizen completed it ("hoàn thành bổ sung hồ sơ"), or {@code null} while outstanding
 */
public record SupplementRound(Instant requestedAt, Instant suppliedAt) {
    public SupplementRound {
        if (requestedAt == null) {
            throw new IllegalArgumentException("a supplement round starts with its request");
        }
        if (suppliedAt != null && suppliedAt.isBefore(requestedAt)) {
            throw new IllegalArgumentException("supplied before requested: " + requestedAt + " > " + suppliedAt);
        }
    }
}
