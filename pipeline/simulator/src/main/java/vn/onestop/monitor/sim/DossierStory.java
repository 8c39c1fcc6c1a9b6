package vn.onestop.monitor.sim;

import java.util.List;

/** Everything that will happen to one dossier, decided at receipt so the run stays reproducible. */
record DossierStory(Dossier dossier, List<LifecycleEvent> events, PlannedFeedback feedback) {
}
