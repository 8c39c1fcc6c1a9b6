-- Control reviews (issue 14): a unit without any dossier or rating in a period is listed without a rank instead of
-- being ranked on its 0 points (docs/REVIEWS.md, "Which units appear"). The view is V3's with three changes: the rank
-- and the weakest indicator are NULL for such units, and the column has_data (at the end, as CREATE OR REPLACE VIEW
-- requires) says which they are. unit_review reads the rank from here, so its rank, previous_rank and rank_change are
-- NULL for them too; other units' ranks close up.

CREATE OR REPLACE VIEW unit_review_score AS
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
       -- Only units with data are ranked: a unit without any scored 0 and took a place among units that served
       -- citizens (issue 14); it is listed unranked, "chưa có số liệu" in the report.
       CASE WHEN m.has_data THEN
           row_number() OVER (PARTITION BY t.period_type, t.period_start, t.parent_code, t.unit_level, m.has_data
                              ORDER BY t.total_points DESC, t.points_progress DESC, t.unit_code)::integer
       END AS rank,
       -- The indicator furthest below its maximum (ties: in the index's order 2.1, 3.3, 4.2, 4.1, 5.4); NULL at full marks.
       (SELECT w.indicator
        FROM (VALUES (1, 'progress', 20 - t.points_progress),
                     (2, 'online', 6 - t.points_online),
                     (3, 'intake_digitisation', 4 - t.points_intake_digitisation),
                     (4, 'result_digitisation', 6 - t.points_result_digitisation),
                     (5, 'satisfaction', 6 - t.points_satisfaction)) AS w(ord, indicator, lost)
        WHERE w.lost > 0 AND m.has_data
        ORDER BY w.lost DESC, w.ord
        LIMIT 1) AS weakest_indicator,
       m.has_data
FROM totalled t
-- Something to measure: a dossier received, resolved or open at the period's end, or a rating. Without any, every
-- indicator's denominator is zero. (A lateral column rather than a column of totalled: t.* must keep V3's columns.)
CROSS JOIN LATERAL (SELECT (t.received + t.resolved + t.open_at_end + t.ratings) > 0 AS has_data) m;
