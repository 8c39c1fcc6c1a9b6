package vn.onestop.monitor.kpi;

/**
 * A rating that names its dossier, counted once: a row of {@code dossier_rating}. The national index's 5.4 counts
 * dossiers with a negative rating (docs/INDEX766.md), which the hourly rating counts cannot tell.
 */
public class DossierRating {
    public String feedbackId;
    public String dossierId;
    public String unitCode;
    public String rating;
    public long submittedAt;

    public DossierRating() {}
}
