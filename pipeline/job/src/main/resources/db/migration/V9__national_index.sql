-- The national index of Decision 766/QĐ-TTg (issue 16). docs/INDEX766.md is the reference for every rule below;
-- the Java package vn.onestop.monitor.index implements the same rules and rounding (index/Points).

-- Procedure catalogue flags (procedures.csv). NULL = not said (a four-column procedures file, or an unknown code).
ALTER TABLE procedure
    ADD COLUMN full_online_eligible boolean,
    ADD COLUMN written_result       boolean,
    ADD COLUMN has_fee              boolean;

-- Per-dossier facts (kpi/DossierFacts, kpi/DossierTimeline.toRow). Nullable: rows written before V9 know nothing
-- of them, and the views read NULL as "no" (COALESCE) rather than guess.
-- The raw ends and supplement rounds are needed because 2.1 judges each period with what was known at its end.
ALTER TABLE dossier
    ADD COLUMN resolved_at              timestamptz,
    ADD COLUMN returned_at              timestamptz,
    ADD COLUMN stopped_at               timestamptz,   -- STOPPED or REJECTED
    ADD COLUMN withdrawn_at             timestamptz,
    ADD COLUMN supplement_requested_at  timestamptz[], -- one element per round, in time order
    ADD COLUMN supplement_supplied_at   timestamptz[], -- same length; NULL element while the round is outstanding
    ADD COLUMN online_mode              text,          -- FULL / PARTIAL, ONLINE receipts only
    ADD COLUMN synced_to_portal         boolean,
    ADD COLUMN electronic_result        boolean,
    ADD COLUMN reused_data              boolean,
    ADD COLUMN personal_data_store      boolean,
    ADD COLUMN vneid                    boolean,
    ADD COLUMN payments                 integer,
    ADD COLUMN payment_amount           bigint,
    ADD COLUMN paid_online              boolean;

-- Ratings that name a dossier, counted once per feedback_id (5.4 counts dossiers with a negative rating).
CREATE TABLE dossier_rating (
    feedback_id   text PRIMARY KEY,
    dossier_id    text NOT NULL,
    unit_code     text NOT NULL,
    rating        text NOT NULL,
    submitted_at  timestamptz NOT NULL
);
CREATE INDEX dossier_rating_dossier ON dossier_rating (dossier_id);

-- Local calendar months, quarters and years from the first receipt to the data's latest event.
CREATE VIEW index_766_period AS
WITH span AS (
    SELECT date_trunc('month', min(received_at) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS first_month,
           date_trunc('month', max(greatest(received_at, last_event_at)) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS last_month
    FROM dossier WHERE received_at IS NOT NULL
), months AS (
    SELECT gs::date AS month FROM span, generate_series(first_month, last_month, interval '1 month') gs
), periods AS (
    SELECT DISTINCT 'MONTH'::text AS period_type, to_char(month, 'YYYY-MM') AS period,
           month AS period_start, (month + interval '1 month')::date AS period_end FROM months
    UNION
    SELECT DISTINCT 'QUARTER', to_char(month, 'YYYY') || '-Q' || extract(quarter FROM month),
           date_trunc('quarter', month)::date, (date_trunc('quarter', month) + interval '3 months')::date FROM months
    UNION
    SELECT DISTINCT 'YEAR', to_char(month, 'YYYY'),
           date_trunc('year', month)::date, (date_trunc('year', month) + interval '1 year')::date FROM months
)
SELECT period_type, period,
       period_start::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS starts_at,
       period_end::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS ends_at
FROM periods;

-- One row per received dossier and period in which it counts for any indicator, with its per-dossier flags.
-- 2.1 (index/ProgressJudgement): the end of processing known before the period's end is resolved, else returned,
-- else the earliest of stopped / rejected / withdrawn; without one, a dossier whose last supplement request is
-- unanswered ends at that request, or is late if it was asked more than once; otherwise the period's end. Supplement
-- time answered by that end is taken off; in time when the result is not after the appointment (due_at; without
-- one, receipt + the procedure's statutory hours). Handled = received before the period's end and that end not
-- before its start.
CREATE VIEW dossier_index_766 AS
WITH base AS (
    SELECT d.dossier_id, d.unit_code, p.period_type, p.period, p.starts_at, p.ends_at, d.received_at,
           coalesce(d.due_at, d.received_at + pr.statutory_hours * interval '1 hour') AS appointment_at,
           CASE WHEN d.resolved_at < p.ends_at THEN d.resolved_at
                WHEN d.returned_at < p.ends_at THEN d.returned_at
                ELSE least(CASE WHEN d.stopped_at < p.ends_at THEN d.stopped_at END,
                           CASE WHEN d.withdrawn_at < p.ends_at THEN d.withdrawn_at END) END AS end_state_at,
           w.requests, w.outstanding_at,
           d.received_at >= p.starts_at AS received_in_period,
           coalesce(pr.written_result, false) AS written_result,
           coalesce(pr.has_fee, false) AS has_fee,
           d.channel, coalesce(d.digitised, false) AS digitised,
           coalesce(d.electronic_result, false) AS electronic_result, coalesce(d.synced_to_portal, false) AS synced,
           coalesce(d.reused_data, false) AS reused_data, coalesce(d.personal_data_store, false) AS personal_data_store,
           coalesce(d.vneid, false) AS vneid, coalesce(d.payments, 0) AS payments,
           coalesce(d.payment_amount, 0) AS payment_amount, coalesce(d.paid_online, false) AS paid_online,
           d.supplement_requested_at, d.supplement_supplied_at
    FROM dossier d
    JOIN index_766_period p ON d.received_at < p.ends_at
    LEFT JOIN procedure pr ON pr.code = d.procedure_code
    CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE r.req < p.ends_at) AS requests,
               max(r.req) FILTER (WHERE r.req < p.ends_at AND NOT coalesce(r.sup < p.ends_at, false)) AS outstanding_at
        FROM unnest(coalesce(d.supplement_requested_at, '{}'), coalesce(d.supplement_supplied_at, '{}')) AS r(req, sup)
    ) w
    WHERE d.received_at IS NOT NULL
), ended AS (
    SELECT b.*,
           CASE WHEN end_state_at IS NOT NULL THEN end_state_at
                WHEN outstanding_at IS NOT NULL AND requests <= 1 THEN outstanding_at
                WHEN outstanding_at IS NOT NULL THEN NULL   -- waiting after several requests: late, dated below
                ELSE ends_at END AS ended_at,
           end_state_at IS NULL AND outstanding_at IS NOT NULL AND requests > 1 AS late_waiting
    FROM base b
), judged AS (
    SELECT e.*,
           CASE WHEN late_waiting THEN outstanding_at >= starts_at ELSE ended_at >= starts_at END AS handled,
           CASE WHEN late_waiting THEN false
                ELSE ended_at - coalesce((SELECT sum(r.sup - r.req)
                                          FROM unnest(supplement_requested_at, supplement_supplied_at) AS r(req, sup)
                                          WHERE r.sup <= e.ended_at), interval '0') <= appointment_at END AS in_time
    FROM ended e
)
SELECT j.dossier_id, j.unit_code, j.period_type, j.period, j.handled, j.received_in_period,
       j.handled AND j.in_time AS handled_in_time,
       j.handled AND j.in_time AND EXISTS (
           SELECT 1 FROM dossier_rating r WHERE r.dossier_id = j.dossier_id AND r.submitted_at < j.ends_at
             AND r.rating IN ('DISSATISFIED', 'VERY_DISSATISFIED')) AS handled_in_time_dissatisfied,
       j.handled AND j.written_result AND j.electronic_result AS handled_electronic_result,
       j.handled AND j.digitised AND (NOT j.written_result OR j.electronic_result) AS handled_digitised,
       j.handled AND j.reused_data AS handled_reusing_data,
       j.handled AND j.personal_data_store AS handled_from_personal_store,
       j.handled AND j.vneid AS handled_population_data,
       j.received_in_period AND j.synced AS received_synced,
       j.received_in_period AND j.channel = 'ONLINE' AND (NOT j.written_result OR j.electronic_result) AS received_online,
       -- 3.6: dossiers of fee procedures started in the period, less those whose every fee line is zero
       j.received_in_period AND j.has_fee AND NOT (j.payments > 0 AND j.payment_amount = 0) AS fee_dossier,
       j.received_in_period AND j.has_fee AND NOT (j.payments > 0 AND j.payment_amount = 0) AND j.paid_online AS fee_dossier_paid_online
FROM judged j
WHERE j.handled OR j.received_in_period;

-- UnitPeriodCounts per unit and period; a parent's counts are the sums over its whole subtree (unit_closure).
CREATE VIEW unit_index_766_counts AS
SELECT c.ancestor_code AS unit_code, x.period_type, x.period,
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
JOIN unit_closure c ON c.unit_code = x.unit_code
GROUP BY c.ancestor_code, x.period_type, x.period;

-- The count-based indicators (62 points). value = part / whole to 4 decimals; points = min(max, max × part /
-- (whole × full_at)) rounded half up to 2 decimals from the exact fraction (PostgreSQL's round() on numeric rounds
-- half away from zero, i.e. half up here); a zero whole gives no value and 0 points (index/Points).
CREATE VIEW unit_index_766 AS
SELECT c.unit_code, c.period_type, c.period, i.indicator,
       CASE WHEN i.whole = 0 THEN NULL ELSE round(i.part / i.whole, 4) END AS value,
       CASE WHEN i.whole = 0 THEN 0.00
            ELSE least(i.max_points, round(i.max_points * i.part / (i.whole * i.full_at), 2)) END::numeric(6, 2) AS points,
       i.max_points::numeric(6, 2) AS max_points
FROM unit_index_766_counts c
CROSS JOIN LATERAL (VALUES
    ('1.4',   6.00, 1.0, c.received_synced::numeric, c.received::numeric),
    ('2.1',  20.00, 1.0, c.handled_in_time::numeric, c.handled::numeric),
    -- 3.3: the online share times the 1.4 rate, as one exact fraction
    ('3.3',   6.00, 0.5, c.received_online::numeric * c.received_synced, c.received::numeric * c.received),
    ('3.6',   6.00, 1.0, c.fee_dossiers_paid_online::numeric, c.fee_dossiers::numeric),
    ('4.1',   6.00, 1.0, c.handled_electronic_result::numeric, c.handled::numeric),
    ('4.2',   4.00, 1.0, c.handled_digitised::numeric, c.handled::numeric),
    ('4.3',   2.00, 0.8, c.handled_reusing_data::numeric, c.handled::numeric),
    ('4.4',   4.00, 1.0, c.handled_from_personal_store::numeric, c.handled::numeric),
    ('4.5.1', 2.00, 1.0, c.handled_population_data::numeric, c.handled::numeric),
    -- 5.4: in time and not dissatisfied, each dossier once
    ('5.4',   6.00, 0.9, (c.handled_in_time - c.handled_in_time_dissatisfied)::numeric, c.handled::numeric)
) AS i(indicator, max_points, full_at, part, whole);

-- The sum of the rounded points, always with its maximum (62 while only count-based indicators are computed).
CREATE VIEW unit_index_766_total AS
SELECT unit_code, period_type, period, sum(points)::numeric(6, 2) AS points, sum(max_points)::numeric(6, 2) AS max_points
FROM unit_index_766
GROUP BY unit_code, period_type, period;

GRANT SELECT, INSERT, UPDATE ON dossier_rating TO onestop_writer;
-- dossier_index_766 shows per dossier only yes/no facts the reader can already see in dossier (plus whether a
-- negative rating exists); dossier_rating itself (which rating, when) stays with the job.
GRANT SELECT ON index_766_period, dossier_index_766, unit_index_766_counts, unit_index_766, unit_index_766_total TO onestop_reader;
