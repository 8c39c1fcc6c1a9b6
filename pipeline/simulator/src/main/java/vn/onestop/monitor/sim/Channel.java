package vn.onestop.monitor.sim;

/** How the simulated dossier reached the office; names are the contract's values. */
enum Channel {
    DIRECT,
    ONLINE,
    POSTAL
}
