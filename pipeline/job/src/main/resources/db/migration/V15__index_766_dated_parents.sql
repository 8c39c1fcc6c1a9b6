-- The national index rolled up to the parents valid on the day (issues 15 and 16; docs/INDEX766.md, "Parents across
-- the 2025 reorganisation"). V9, V11 and V12 expanded each dossier to its ancestors through unit_closure, which is
-- built from the table unit (each code's LATEST version): a reused code (11239: Thị trấn Thanh Miện under district
-- 300 / Hải Dương until 2025-06-30, Xã Thanh Miện under Hải Phòng from 2025-07-01) sent every dossier it ever
-- received to Hải Phòng, also those of March 2024.
--
-- Rule: a dossier counts, in every period it is in, for the unit version that received it and that version's
-- ancestors as they were on its receipt day (local date, read by unit_registry_day as V8/V10 do: a code received for
-- after its last version ended counts as of that version's last day). A dossier's parents therefore do not change
-- between periods: a June 2025 dossier of 11239 still open in July counts for district 300 in July, as it does in
-- June, the quarter and the year. Parents are summed counts (issue 16): a parent's counts are the sums of the
-- dossiers placed under it this way.
--
-- The catalogue (unit_procedure, no dates) belongs in a period to the ancestors its unit has on any day of the
-- period: in 2025 both district 300 (until 30 June) and Hải Phòng (from 1 July) list 11239's procedures.
--
-- Same columns as before, so the views are replaced in place (unit_index_766 and unit_index_766_total read these
-- and need no change); grants on a replaced view stay.

-- Per dossier and period: the receiving code and the day its parents are read on.
CREATE OR REPLACE VIEW unit_index_766_counts AS
WITH grouped AS (
    -- grouped by receiving unit and receipt day before the ancestor expansion (16 units × a month of days, not
    -- every dossier once per ancestor), and unit_registry_day called once per such pair
    SELECT x.unit_code, (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS receipt_day, x.period_type, x.period,
           count(*) FILTER (WHERE x.handled) AS handled,
           count(*) FILTER (WHERE x.handled_in_time) AS handled_in_time,
           count(*) FILTER (WHERE x.handled_in_time_dissatisfied) AS handled_in_time_dissatisfied,
           count(*) FILTER (WHERE x.handled_electronic_result) AS handled_electronic_result,
           count(*) FILTER (WHERE x.handled_digitised) AS handled_digitised,
           count(*) FILTER (WHERE x.handled_reusing_data) AS handled_reusing_data,
           count(*) FILTER (WHERE x.handled_from_personal_store) AS handled_from_personal_store,
           count(*) FILTER (WHERE x.handled_population_data) AS handled_population_data,
           count(*) FILTER (WHERE x.received_in_period) AS received,
           count(*) FILTER (WHERE x.received_synced) AS received_synced,
           count(*) FILTER (WHERE x.received_online) AS received_online,
           count(*) FILTER (WHERE x.fee_dossier) AS fee_dossiers,
           count(*) FILTER (WHERE x.fee_dossier_paid_online) AS fee_dossiers_paid_online
    FROM dossier_index_766 x
    JOIN dossier d ON d.dossier_id = x.dossier_id
    GROUP BY 1, 2, 3, 4
), registry AS (
    SELECT u.unit_code, u.receipt_day, unit_registry_day(u.unit_code, u.receipt_day) AS registry_day
    FROM (SELECT DISTINCT unit_code, receipt_day FROM grouped) u
)
SELECT c.ancestor_code AS unit_code, g.period_type, g.period,
       sum(g.handled)::bigint AS handled,
       sum(g.handled_in_time)::bigint AS handled_in_time,
       sum(g.handled_in_time_dissatisfied)::bigint AS handled_in_time_dissatisfied,
       sum(g.handled_electronic_result)::bigint AS handled_electronic_result,
       sum(g.handled_digitised)::bigint AS handled_digitised,
       sum(g.handled_reusing_data)::bigint AS handled_reusing_data,
       sum(g.handled_from_personal_store)::bigint AS handled_from_personal_store,
       sum(g.handled_population_data)::bigint AS handled_population_data,
       sum(g.received)::bigint AS received,
       sum(g.received_synced)::bigint AS received_synced,
       sum(g.received_online)::bigint AS received_online,
       sum(g.fee_dossiers)::bigint AS fee_dossiers,
       sum(g.fee_dossiers_paid_online)::bigint AS fee_dossiers_paid_online
FROM grouped g
JOIN registry r ON r.unit_code = g.unit_code AND r.receipt_day = g.receipt_day
JOIN unit_closure_dated c ON c.unit_code = g.unit_code AND r.registry_day BETWEEN c.valid_from AND c.valid_to
GROUP BY c.ancestor_code, g.period_type, g.period;

-- V11's coverage with dated parents: the catalogue of an ancestor in a period is its subtree's rows on any day of the
-- period; a dossier touches an ancestor's procedures through the ancestors of its receipt day (as the counts above).
CREATE OR REPLACE VIEW unit_index_766_coverage AS
WITH period_day AS (
    SELECT p.period_type, p.period, (p.starts_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS first_day,
           (p.ends_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date - 1 AS last_day
    FROM index_766_period p
), catalogue AS (
    -- DISTINCT: a reused code has two versions, both possibly under one ancestor in one period
    SELECT DISTINCT p.period_type, p.period, c.ancestor_code, up.unit_code, up.procedure_code,
           up.online_service <> 'NONE' AS offered_online,
           coalesce(pr.has_fee, false) AS has_fee, coalesce(pr.citizen_applicant, false) AS citizen
    FROM unit_procedure up
    JOIN unit_closure_dated c ON c.unit_code = up.unit_code
    JOIN period_day p ON c.valid_from <= p.last_day AND c.valid_to >= p.first_day
    LEFT JOIN procedure pr ON pr.code = up.procedure_code
), used_here AS (
    -- per period, receiving unit, receipt day and procedure: what its dossiers did in the period
    SELECT x.period_type, x.period, d.unit_code, (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS receipt_day,
           d.procedure_code,
           bool_or(x.received_in_period AND d.channel = 'ONLINE') AS received_online,
           bool_or(x.received_in_period AND coalesce(d.paid_online, false)) AS paid_online,
           bool_or(x.received_in_period AND coalesce(d.synced_to_portal, false) AND coalesce(d.payment_amount, 0) > 0) AS fee_data,
           bool_or(x.handled_population_data) AS population_data
    FROM dossier_index_766 x
    JOIN dossier d ON d.dossier_id = x.dossier_id
    GROUP BY 1, 2, 3, 4, 5
), registry AS (
    SELECT u.unit_code, u.receipt_day, unit_registry_day(u.unit_code, u.receipt_day) AS registry_day
    FROM (SELECT DISTINCT unit_code, receipt_day FROM used_here) u
), used AS (
    SELECT c.ancestor_code, u.period_type, u.period, u.unit_code, u.procedure_code,
           bool_or(u.received_online) AS received_online, bool_or(u.paid_online) AS paid_online,
           bool_or(u.fee_data) AS fee_data, bool_or(u.population_data) AS population_data
    FROM used_here u
    JOIN registry r ON r.unit_code = u.unit_code AND r.receipt_day = u.receipt_day
    JOIN unit_closure_dated c ON c.unit_code = u.unit_code AND r.registry_day BETWEEN c.valid_from AND c.valid_to
    GROUP BY 1, 2, 3, 4, 5
), used_procedure AS (
    SELECT ancestor_code, period_type, period, procedure_code, bool_or(paid_online) AS paid_online,
           bool_or(fee_data) AS fee_data, bool_or(population_data) AS population_data
    FROM used
    GROUP BY ancestor_code, period_type, period, procedure_code
), procedures AS (
    SELECT cat.ancestor_code, cat.period_type, cat.period, cat.procedure_code, bool_or(cat.offered_online) AS offered_online,
           bool_or(cat.has_fee) AS has_fee, bool_or(cat.citizen) AS citizen
    FROM catalogue cat
    GROUP BY cat.ancestor_code, cat.period_type, cat.period, cat.procedure_code
), procedure_counts AS (
    SELECT pr.ancestor_code, pr.period_type, pr.period,
           count(*) AS procedures,
           count(*) FILTER (WHERE pr.offered_online) AS procedures_offering_online,
           count(*) FILTER (WHERE pr.has_fee) AS fee_procedures,
           count(*) FILTER (WHERE pr.has_fee AND u.paid_online) AS fee_procedures_paid_online,
           count(*) FILTER (WHERE pr.has_fee AND u.fee_data) AS fee_procedures_with_fee_data,
           count(*) FILTER (WHERE pr.citizen) AS citizen_procedures,
           count(*) FILTER (WHERE pr.citizen AND u.population_data) AS citizen_procedures_population_data
    FROM procedures pr
    LEFT JOIN used_procedure u ON u.ancestor_code = pr.ancestor_code AND u.period_type = pr.period_type
                              AND u.period = pr.period AND u.procedure_code = pr.procedure_code
    GROUP BY pr.ancestor_code, pr.period_type, pr.period
), services AS (
    SELECT DISTINCT period_type, period, ancestor_code, unit_code, procedure_code
    FROM catalogue WHERE offered_online
), service_counts AS (
    SELECT s.ancestor_code, s.period_type, s.period, count(*) AS online_services,
           count(*) FILTER (WHERE u.received_online) AS online_services_used
    FROM services s
    LEFT JOIN used u ON u.ancestor_code = s.ancestor_code AND u.period_type = s.period_type AND u.period = s.period
                    AND u.unit_code = s.unit_code AND u.procedure_code = s.procedure_code
    GROUP BY s.ancestor_code, s.period_type, s.period
)
SELECT pc.ancestor_code AS unit_code, pc.period_type, pc.period, pc.procedures, pc.procedures_offering_online,
       coalesce(sc.online_services, 0) AS online_services, coalesce(sc.online_services_used, 0) AS online_services_used,
       pc.fee_procedures, pc.fee_procedures_paid_online, pc.fee_procedures_with_fee_data,
       pc.citizen_procedures, pc.citizen_procedures_population_data
FROM procedure_counts pc
LEFT JOIN service_counts sc ON sc.ancestor_code = pc.ancestor_code AND sc.period_type = pc.period_type AND sc.period = pc.period;

-- V12's projection: open dossiers counted for the ancestors of their receipt day, as in unit_index_766_counts (whose
-- month row they are compared with).
CREATE OR REPLACE VIEW unit_index_766_projection AS
WITH open_counts AS (
    SELECT c.ancestor_code AS unit_code,
           count(*) FILTER (WHERE o.outlook = 'LATE') AS open_late,
           count(*) FILTER (WHERE o.outlook = 'DUE_THIS_MONTH') AS open_due_this_month,
           count(*) FILTER (WHERE o.outlook = 'DUE_AFTER_MONTH') AS open_due_after_month
    FROM index_766_projection_outlook o
    JOIN unit_closure_dated c ON c.unit_code = o.unit_code
     AND unit_registry_day(o.unit_code, (o.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) BETWEEN c.valid_from AND c.valid_to
    GROUP BY c.ancestor_code
), scenarios AS (
    SELECT k.unit_code, m.period, m.as_of, m.ends_at, k.handled,
           coalesce(oc.open_late, 0) AS open_late,
           coalesce(oc.open_due_this_month, 0) AS open_due_this_month,
           coalesce(oc.open_due_after_month, 0) AS open_due_after_month,
           k.handled_in_time AS in_time_if_late,
           k.handled_in_time + coalesce(oc.open_due_this_month, 0) AS in_time_if_on_time
    FROM index_766_projection_month m
    -- LATERAL with OFFSET 0 so that only this month is counted (V12)
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

CREATE OR REPLACE VIEW unit_index_766_projection_dossier AS
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
JOIN unit_closure_dated c ON c.unit_code = o.unit_code
 AND unit_registry_day(o.unit_code, (o.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) BETWEEN c.valid_from AND c.valid_to
JOIN month_counts k ON k.unit_code = c.ancestor_code
JOIN month_counts own ON own.unit_code = o.unit_code;

-- Replaced views keep their grants; repeated here so that the reader's rights are visible next to the definitions.
GRANT SELECT ON unit_index_766_counts, unit_index_766_coverage, unit_index_766_projection,
    unit_index_766_projection_dossier TO onestop_reader;
