-- Month-end projection of indicator 2.1 of the national index (issue 16, item 5). docs/INDEX766.md, section
-- "Month-end projection", states the rule with a worked example; the views below read V9's views and the dossier
-- table and change neither.

-- The month the projection is about: the local month of the data's latest event (the same instant that ends
-- index_766_period's last month). The data's clock rather than now(): a replayed history projects its own last
-- month, and live the two differ only by the feed's lag.
CREATE VIEW index_766_projection_month AS
SELECT p.period, p.starts_at, p.ends_at, c.as_of
FROM (SELECT max(greatest(received_at, last_event_at)) AS as_of FROM dossier WHERE received_at IS NOT NULL) c
JOIN index_766_period p ON p.period_type = 'MONTH' AND c.as_of >= p.starts_at AND c.as_of < p.ends_at;

-- Dossiers that 2.1 judges at the month's end: received, no end of processing (resolved, returned, stopped or
-- rejected, withdrawn) and no supplement request outstanding (a dossier waiting on one is judged at the request,
-- or late after several, whatever happens next). due_for_2_1 is the instant by which it must end to be in time:
-- the appointment (due_at; without one, receipt + the procedure's statutory hours) plus the time spent waiting on
-- answered supplement requests, which 2.1 takes off. NULL when neither due_at nor statutory hours are known:
-- V9 judges such a dossier late, and so does the projection.
CREATE VIEW index_766_projection_open AS
SELECT d.dossier_id, d.unit_code, d.procedure_code, d.received_at, m.period, m.as_of, m.ends_at,
       coalesce(d.due_at, d.received_at + pr.statutory_hours * interval '1 hour')
           + coalesce((SELECT sum(r.sup - r.req)
                       FROM unnest(coalesce(d.supplement_requested_at, '{}'), coalesce(d.supplement_supplied_at, '{}')) AS r(req, sup)),
                      interval '0') AS due_for_2_1
FROM dossier d
CROSS JOIN index_766_projection_month m
LEFT JOIN procedure pr ON pr.code = d.procedure_code
WHERE d.received_at IS NOT NULL AND d.received_at < m.ends_at
  AND d.resolved_at IS NULL AND d.returned_at IS NULL AND d.stopped_at IS NULL AND d.withdrawn_at IS NULL
  AND NOT EXISTS (SELECT 1
                  FROM unnest(coalesce(d.supplement_requested_at, '{}'), coalesce(d.supplement_supplied_at, '{}')) AS r(req, sup)
                  WHERE r.sup IS NULL);

-- What each such dossier can still do to the month's 2.1:
--   LATE            due before the data's latest event (or no due time): late whatever happens;
--   DUE_THIS_MONTH  due between then and the month's end: in time if it ends by its due time, late if still open
--                   at the month's end (V9 already counts it late: it judges an open dossier at the period's end);
--   DUE_AFTER_MONTH due at or after the month's end: in time for this month whatever happens.
CREATE VIEW index_766_projection_outlook AS
SELECT o.*,
       CASE WHEN o.due_for_2_1 IS NULL OR o.due_for_2_1 < o.as_of THEN 'LATE'
            WHEN o.due_for_2_1 < o.ends_at THEN 'DUE_THIS_MONTH'
            ELSE 'DUE_AFTER_MONTH' END AS outlook
FROM index_766_projection_open o;

-- Per unit (with its whole subtree) the month's 2.1 in the two outcomes: if every open dossier due this month
-- ends in time (points_if_on_time), and if every one stays open past its due time, so that the LATE ones stay late
-- and the DUE_THIS_MONTH ones turn late (points_if_late: what unit_index_766 shows for the month now). The
-- handled population is the same in both: an open dossier is handled in its month however it ends. Points as in
-- V9: min(20, 20 × in time / handled) rounded half up to 2 decimals, 0 with no handled dossier.
CREATE VIEW unit_index_766_projection AS
WITH open_counts AS (
    SELECT c.ancestor_code AS unit_code,
           count(*) FILTER (WHERE o.outlook = 'LATE') AS open_late,
           count(*) FILTER (WHERE o.outlook = 'DUE_THIS_MONTH') AS open_due_this_month,
           count(*) FILTER (WHERE o.outlook = 'DUE_AFTER_MONTH') AS open_due_after_month
    FROM index_766_projection_outlook o
    JOIN unit_closure c ON c.unit_code = o.unit_code
    GROUP BY c.ancestor_code
), scenarios AS (
    SELECT k.unit_code, m.period, m.as_of, m.ends_at, k.handled,
           coalesce(oc.open_late, 0) AS open_late,
           coalesce(oc.open_due_this_month, 0) AS open_due_this_month,
           coalesce(oc.open_due_after_month, 0) AS open_due_after_month,
           k.handled_in_time AS in_time_if_late,
           k.handled_in_time + coalesce(oc.open_due_this_month, 0) AS in_time_if_on_time
    FROM index_766_projection_month m
    -- LATERAL with OFFSET 0 (which keeps the planner from flattening it) so that only this month is counted: as a
    -- plain join condition the month does not reach unit_index_766_counts, and every month of the data is counted
    -- first (EXPLAIN ANALYZE: the dossier × period join runs once instead of once per month).
    CROSS JOIN LATERAL (SELECT * FROM unit_index_766_counts WHERE period_type = 'MONTH' AND period = m.period OFFSET 0) k
    LEFT JOIN open_counts oc ON oc.unit_code = k.unit_code
)
SELECT s.unit_code, s.period, s.as_of, s.ends_at, s.handled, s.open_late, s.open_due_this_month, s.open_due_after_month,
       s.in_time_if_late, s.in_time_if_on_time,
       CASE WHEN s.handled = 0 THEN 0.00
            ELSE least(20.00, round(20.00 * s.in_time_if_late / s.handled, 2)) END::numeric(6, 2) AS points_if_late,
       CASE WHEN s.handled = 0 THEN 0.00
            ELSE least(20.00, round(20.00 * s.in_time_if_on_time / s.handled, 2)) END::numeric(6, 2) AS points_if_on_time,
       20.00::numeric(6, 2) AS max_points
FROM scenarios s;

-- The open dossiers due this month, and those already late or due later, per unit of their ancestry: what ending
-- one in time is worth to that unit's month (points_at_stake = 20 / handled, 0 for LATE and DUE_AFTER_MONTH) and to
-- the dossier's own unit (own_unit_points_at_stake), so a list can put the dossiers that move points most first.
CREATE VIEW unit_index_766_projection_dossier AS
WITH month_counts AS (   -- the month's handled dossiers per unit, counted once (see unit_index_766_projection)
    SELECT k.unit_code, k.handled
    FROM index_766_projection_month m
    CROSS JOIN LATERAL (SELECT * FROM unit_index_766_counts WHERE period_type = 'MONTH' AND period = m.period OFFSET 0) k
)
SELECT c.ancestor_code AS unit_code, o.period, o.dossier_id, o.unit_code AS dossier_unit_code, o.procedure_code,
       o.received_at, o.due_for_2_1, o.outlook,
       CASE WHEN o.outlook = 'DUE_THIS_MONTH' THEN round(20.00 / k.handled, 2) ELSE 0.00 END::numeric(6, 2) AS points_at_stake,
       CASE WHEN o.outlook = 'DUE_THIS_MONTH' THEN round(20.00 / own.handled, 2) ELSE 0.00 END::numeric(6, 2) AS own_unit_points_at_stake
FROM index_766_projection_outlook o
JOIN unit_closure c ON c.unit_code = o.unit_code
JOIN month_counts k ON k.unit_code = c.ancestor_code
JOIN month_counts own ON own.unit_code = o.unit_code;

GRANT SELECT ON index_766_projection_month, index_766_projection_open, index_766_projection_outlook,
    unit_index_766_projection, unit_index_766_projection_dossier TO onestop_reader;
