-- Control reviews (issue 5): every unit's national-index indicators per local month, quarter and year, its points,
-- its rank among the units with the same parent and level, and the change of rank. docs/REVIEWS.md explains the
-- method; the Kiểm điểm dashboard and `make review` read unit_review.
--
-- Periods are local calendar periods in Asia/Ho_Chi_Minh. A period [start, end) ends at local midnight of its last
-- day. Ratios always come from summed counts; each indicator's points are one integer division rounded to two
-- decimals, so an independent recomputation gets exactly the same numbers and exactly the same ties.

-- Every local month, quarter and year that holds counts, with its bounds and the start of the period before it.
CREATE VIEW review_period AS
WITH months AS (
    SELECT DISTINCT date_trunc('month', hour AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS month
    FROM kpi_hourly
), periods AS (
    SELECT DISTINCT t.period_type, t.period_start,
           (t.period_start + t.step)::date AS period_end,
           (t.period_start - t.step)::date AS previous_start
    FROM months m
    CROSS JOIN LATERAL (VALUES ('month', m.month, interval '1 month'),
                               ('quarter', date_trunc('quarter', m.month::timestamp)::date, interval '3 months'),
                               ('year', date_trunc('year', m.month::timestamp)::date, interval '1 year'))
        AS t(period_type, period_start, step)
)
SELECT period_type, period_start, period_end, previous_start,
       CASE period_type WHEN 'month' THEN to_char(period_start, 'YYYY-MM')
                        WHEN 'quarter' THEN to_char(period_start, 'YYYY-"Q"Q')
                        ELSE to_char(period_start, 'YYYY') END AS period_label,
       period_start::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS starts_at,
       period_end::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS ends_at
FROM periods;

-- A unit's own additive counts per period (the units dossiers are filed at), from the hourly counts.
CREATE VIEW unit_review_counts AS
WITH monthly AS (
    SELECT unit_code, date_trunc('month', hour AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS month,
           sum(received) AS received, sum(received_online) AS received_online,
           sum(received_digitised) AS received_digitised, sum(resolved) AS resolved,
           sum(resolved_early + resolved_on_time) AS resolved_in_time, sum(resolved_late) AS resolved_late,
           sum(results_digitised) AS results_digitised, sum(ratings) AS ratings,
           sum(rating_very_satisfied + rating_satisfied) AS ratings_satisfied,
           sum(rating_dissatisfied + rating_very_dissatisfied) AS ratings_dissatisfied
    FROM kpi_hourly
    GROUP BY 1, 2
)
SELECT m.unit_code, t.period_type, t.period_start,
       sum(received)::bigint AS received, sum(received_online)::bigint AS received_online,
       sum(received_digitised)::bigint AS received_digitised, sum(resolved)::bigint AS resolved,
       sum(resolved_in_time)::bigint AS resolved_in_time, sum(resolved_late)::bigint AS resolved_late,
       sum(results_digitised)::bigint AS results_digitised, sum(ratings)::bigint AS ratings,
       sum(ratings_satisfied)::bigint AS ratings_satisfied, sum(ratings_dissatisfied)::bigint AS ratings_dissatisfied
FROM monthly m
CROSS JOIN LATERAL (VALUES ('month', m.month),
                           ('quarter', date_trunc('quarter', m.month::timestamp)::date),
                           ('year', date_trunc('year', m.month::timestamp)::date)) AS t(period_type, period_start)
GROUP BY 1, 2, 3;

-- Dossiers still open at a period's end (2.1 progress), from the dossier table as known now: received before the
-- end, not ended (resolved, returned, stopped, refused or withdrawn) before it. Within the deadline when the effective
-- due time (appointment plus completed supplement pauses) is not before the end.
CREATE VIEW unit_open_at_period_end AS
SELECT d.unit_code, p.period_type, p.period_start,
       count(*)::bigint AS open_at_end,
       count(*) FILTER (WHERE d.effective_due_at >= p.ends_at)::bigint AS open_within_deadline
FROM review_period p
JOIN dossier d ON d.received_at < p.ends_at AND (d.ended_at IS NULL OR d.ended_at >= p.ends_at)
GROUP BY 1, 2, 3;

-- Indicators and points of every unit (communes from their own counts, every ancestor from its descendants' summed
-- counts) that was valid during the period or has counts in it, and its rank within its parent and level.
CREATE VIEW unit_review_score AS
WITH own AS (
    SELECT unit_code, period_type, period_start, received, received_online, received_digitised, resolved,
           resolved_in_time, resolved_late, results_digitised, ratings, ratings_satisfied, ratings_dissatisfied,
           0::bigint AS open_at_end, 0::bigint AS open_within_deadline
    FROM unit_review_counts
    UNION ALL
    SELECT unit_code, period_type, period_start, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, open_at_end, open_within_deadline
    FROM unit_open_at_period_end
), rolled AS (
    SELECT c.ancestor_code AS unit_code, o.period_type, o.period_start,
           sum(received)::bigint AS received, sum(received_online)::bigint AS received_online,
           sum(received_digitised)::bigint AS received_digitised, sum(resolved)::bigint AS resolved,
           sum(resolved_in_time)::bigint AS resolved_in_time, sum(resolved_late)::bigint AS resolved_late,
           sum(results_digitised)::bigint AS results_digitised, sum(ratings)::bigint AS ratings,
           sum(ratings_satisfied)::bigint AS ratings_satisfied, sum(ratings_dissatisfied)::bigint AS ratings_dissatisfied,
           sum(open_at_end)::bigint AS open_at_end, sum(open_within_deadline)::bigint AS open_within_deadline
    FROM own o JOIN unit_closure c ON c.unit_code = o.unit_code
    GROUP BY 1, 2, 3
), base AS (
    SELECT u.code AS unit_code, u.name AS unit_name, u.level AS unit_level, u.parent_code,
           p.period_type, p.period_start, p.period_label, p.period_end, p.previous_start,
           coalesce(r.received, 0) AS received, coalesce(r.received_online, 0) AS received_online,
           coalesce(r.received_digitised, 0) AS received_digitised, coalesce(r.resolved, 0) AS resolved,
           coalesce(r.resolved_in_time, 0) AS resolved_in_time, coalesce(r.resolved_late, 0) AS resolved_late,
           coalesce(r.results_digitised, 0) AS results_digitised, coalesce(r.ratings, 0) AS ratings,
           coalesce(r.ratings_satisfied, 0) AS ratings_satisfied, coalesce(r.ratings_dissatisfied, 0) AS ratings_dissatisfied,
           coalesce(r.open_at_end, 0) AS open_at_end, coalesce(r.open_within_deadline, 0) AS open_within_deadline
    FROM review_period p
    CROSS JOIN unit u
    LEFT JOIN rolled r ON r.unit_code = u.code AND r.period_type = p.period_type AND r.period_start = p.period_start
    WHERE r.unit_code IS NOT NULL
       OR ((u.valid_from IS NULL OR u.valid_from < p.period_end) AND (u.valid_to IS NULL OR u.valid_to >= p.period_start))
), scored AS (
    SELECT b.*,
           b.resolved_in_time::numeric / NULLIF(b.resolved, 0) AS on_time_rate,
           b.received_online::numeric / NULLIF(b.received, 0) AS online_share,
           b.received_digitised::numeric / NULLIF(b.received, 0) AS intake_digitisation,
           b.results_digitised::numeric / NULLIF(b.resolved, 0) AS result_digitisation,
           b.ratings_satisfied::numeric / NULLIF(b.ratings, 0) AS satisfaction,
           (b.resolved_in_time + b.open_within_deadline)::numeric / NULLIF(b.resolved + b.open_at_end, 0) AS progress_ratio,
           b.resolved_late::numeric / NULLIF(b.resolved, 0) AS overdue_rate,
           b.ratings_dissatisfied::numeric / NULLIF(b.ratings, 0) AS dissatisfied_rate,
           -- r = 1 - (overdue rate + dissatisfied rate) as one fraction; a rate without volume adds nothing.
           CASE WHEN b.resolved > 0 AND b.ratings > 0
                    THEN (b.resolved * b.ratings - b.resolved_late * b.ratings - b.ratings_dissatisfied * b.resolved)::numeric
                         / (b.resolved * b.ratings)
                WHEN b.resolved > 0 THEN (b.resolved - b.resolved_late)::numeric / b.resolved
                WHEN b.ratings > 0 THEN (b.ratings - b.ratings_dissatisfied)::numeric / b.ratings
           END AS satisfaction_index,
           -- Points: an indicator without volume scores 0 (docs/REVIEWS.md). LEAST/GREATEST ignore NULLs, hence the
           -- coalesce inside them.
           coalesce(round((20 * (b.resolved_in_time + b.open_within_deadline))::numeric
                          / NULLIF(b.resolved + b.open_at_end, 0), 2), 0) AS points_progress,
           least(6, coalesce(round((12 * b.received_online)::numeric / NULLIF(b.received, 0), 2), 0)) AS points_online,
           least(4, coalesce(round((5 * b.received_digitised)::numeric / NULLIF(b.received, 0), 2), 0)) AS points_intake_digitisation,
           coalesce(round((6 * b.results_digitised)::numeric / NULLIF(b.resolved, 0), 2), 0) AS points_result_digitisation,
           least(6, greatest(0, coalesce(round(CASE
                WHEN b.resolved > 0 AND b.ratings > 0
                    THEN (20 * (b.resolved * b.ratings - b.resolved_late * b.ratings - b.ratings_dissatisfied * b.resolved))::numeric
                         / (3 * b.resolved * b.ratings)
                WHEN b.resolved > 0 THEN (20 * (b.resolved - b.resolved_late))::numeric / (3 * b.resolved)
                WHEN b.ratings > 0 THEN (20 * (b.ratings - b.ratings_dissatisfied))::numeric / (3 * b.ratings)
           END, 2), 0))) AS points_satisfaction
    FROM base b
), totalled AS (
    SELECT s.*,
           points_progress + points_online + points_intake_digitisation + points_result_digitisation
               + points_satisfaction AS total_points
    FROM scored s
)
SELECT t.*,
       -- Tie rule: higher total, then higher 2.1 progress points, then the smaller unit code.
       row_number() OVER (PARTITION BY t.period_type, t.period_start, t.parent_code, t.unit_level
                          ORDER BY t.total_points DESC, t.points_progress DESC, t.unit_code)::integer AS rank,
       -- The indicator furthest below its maximum (ties: in the index's order 2.1, 3.3, 4.2, 4.1, 5.4); NULL at full marks.
       (SELECT w.indicator
        FROM (VALUES (1, 'progress', 20 - t.points_progress),
                     (2, 'online', 6 - t.points_online),
                     (3, 'intake_digitisation', 4 - t.points_intake_digitisation),
                     (4, 'result_digitisation', 6 - t.points_result_digitisation),
                     (5, 'satisfaction', 6 - t.points_satisfaction)) AS w(ord, indicator, lost)
        WHERE w.lost > 0
        ORDER BY w.lost DESC, w.ord
        LIMIT 1) AS weakest_indicator
FROM totalled t;

-- The reporting contract of the control reviews (docs/REVIEWS.md; the Kiểm điểm dashboard reads it).
CREATE VIEW unit_review AS
SELECT s.unit_code, s.unit_name, s.unit_level, s.parent_code,
       s.period_type, s.period_start, s.period_label,
       s.received, s.resolved,
       s.on_time_rate, s.online_share, s.intake_digitisation, s.result_digitisation, s.satisfaction,
       s.progress_ratio,
       s.points_progress, s.points_online, s.points_intake_digitisation, s.points_result_digitisation,
       s.points_satisfaction, s.total_points,
       s.rank,
       p.rank AS previous_rank,
       p.rank - s.rank AS rank_change,
       s.weakest_indicator,
       -- Beyond the contract: the counts behind the ratios, and the previous total.
       s.period_end, s.received_online, s.received_digitised, s.resolved_in_time, s.resolved_late,
       s.results_digitised, s.ratings, s.ratings_satisfied, s.ratings_dissatisfied,
       s.open_at_end, s.open_within_deadline, s.overdue_rate, s.dissatisfied_rate, s.satisfaction_index,
       p.total_points AS previous_total_points
FROM unit_review_score s
LEFT JOIN unit_review_score p
       ON p.unit_code = s.unit_code AND p.period_type = s.period_type AND p.period_start = s.previous_start
      AND p.parent_code IS NOT DISTINCT FROM s.parent_code AND p.unit_level = s.unit_level;

GRANT SELECT ON review_period, unit_review_counts, unit_open_at_period_end, unit_review_score, unit_review
    TO onestop_reader;
