-- Roll-ups and control reviews on the dated registry (issue 15, docs/UNITS.md and docs/REVIEWS.md).
--
-- V1's unit_kpi_period_rollup and V3/V6's review views read the table unit, which holds each code's latest version:
-- for a reused code (11239: Thị trấn Thanh Miện under district 300 until 2025-06-30, Xã Thanh Miện under Hải Phòng
-- from 2025-07-01) they used the new parent for every day, also before 1 July 2025.
--
-- * unit_kpi_period_rollup: the parent valid on each day (unit_kpi_daily_rollup, V8), same columns as before, so
--   unit_kpi_period_ratio and the dashboards keep working.
-- * Reviews: a review of a period reads the units as they are on the period's last day (its "structure day"). The
--   units ranked are the versions valid that day, a peer group is the units with the same parent valid that day, and
--   every count (the period's and the earlier periods' it is compared with) is restated into those units through the
--   successions that take effect no later than that day. A new unit's previous rank is therefore its rank among
--   today's peers on its predecessors' restated counts of the previous period, not "mới". Without reorganisations in
--   the data the restatement is the identity and the review is V6's.
--
-- unit_closure (each code's latest version) is kept as it is: dashboards use it as a unit filter. unit_overdue_now is
-- kept too: it counts open dossiers per code now, with no parent and no day in it.

CREATE OR REPLACE VIEW unit_kpi_period_rollup AS
SELECT r.unit_code, p.period_type, p.period_start,
       sum(r.received)::bigint AS received, sum(r.received_online)::bigint AS received_online,
       sum(r.received_digitised)::bigint AS received_digitised, sum(r.resolved)::bigint AS resolved,
       sum(r.resolved_early)::bigint AS resolved_early, sum(r.resolved_on_time)::bigint AS resolved_on_time,
       sum(r.resolved_late)::bigint AS resolved_late, sum(r.results_digitised)::bigint AS results_digitised,
       sum(r.ratings)::bigint AS ratings, sum(r.ratings_satisfied)::bigint AS ratings_satisfied,
       sum(r.rating_dissatisfied + r.rating_very_dissatisfied)::bigint AS ratings_dissatisfied,
       sum(r.resolved_within_hour)::bigint AS resolved_within_hour, sum(r.withdrawn)::bigint AS withdrawn
FROM unit_kpi_daily_rollup r
CROSS JOIN LATERAL (VALUES ('day', r.day),
                           ('month', date_trunc('month', r.day)::date),
                           ('quarter', date_trunc('quarter', r.day)::date),
                           ('year', date_trunc('year', r.day)::date)) AS p(period_type, period_start)
GROUP BY r.unit_code, p.period_type, p.period_start;

-- Each review period with its structure day (its last day) and the periods it reads on that structure: itself
-- (lag 0), the previous period (lag 1, for the previous rank) and four more (the report's six-period trend,
-- ReviewHtml.TREND_PERIODS).
CREATE VIEW review_measured_period AS
SELECT p.period_type, p.period_start, p.period_label, p.period_end, p.previous_start,
       (p.period_end - 1) AS structure_day, m.lag,
       (p.period_start - m.lag * t.step)::date AS measured_start,
       (p.period_start - (m.lag - 1) * t.step)::date AS measured_end,
       ((p.period_start - (m.lag - 1) * t.step)::date)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh' AS measured_ends_at
FROM review_period p
CROSS JOIN LATERAL (SELECT CASE p.period_type WHEN 'month' THEN interval '1 month'
                                              WHEN 'quarter' THEN interval '3 months'
                                              ELSE interval '1 year' END AS step) t
CROSS JOIN generate_series(0, 5) AS m(lag);

-- Every restatement path of a recorded (code, day): each prefix of the succession chain from the unit that recorded
-- it, with the product of the shares so far and the day the next reorganisation of the unit reached takes effect.
-- The recorded days are the daily counts' days and the last day of every period a review reads (dossiers open at
-- a period's end are recorded on that day for the unit that received them). Unlike unit_kpi_daily_restated, no
-- target day is applied here: a count lands on target day T at the prefix whose last reorganisation took effect no
-- later than T and whose next one (if any) takes effect after T, provided the version reached is still valid on T
-- (unit_restated_landing below).
CREATE VIEW unit_restatement_path AS
WITH RECURSIVE recorded AS (
    SELECT unit_code, day FROM unit_kpi_daily
    UNION
    SELECT d.unit_code, e.day
    FROM (SELECT DISTINCT unit_code FROM dossier) d
    CROSS JOIN (SELECT DISTINCT measured_end - 1 AS day FROM review_measured_period) e
), carried (origin_code, origin_day, unit_code, at_day, weight, depth) AS (
    SELECT r.unit_code, r.day, r.unit_code, unit_registry_day(r.unit_code, r.day), 1::numeric, 0
    FROM recorded r
    WHERE unit_registry_day(r.unit_code, r.day) IS NOT NULL
    UNION ALL
    SELECT c.origin_code, c.origin_day, s.successor_code, s.effective_from, c.weight * s.share, c.depth + 1
    FROM carried c
    JOIN unit_restatement_step s ON s.code = c.unit_code AND c.at_day BETWEEN s.day_from AND s.day_to
    WHERE c.depth < 32
)
SELECT c.origin_code, c.origin_day, c.unit_code, c.at_day, c.weight, c.depth,
       (SELECT min(s.effective_from) FROM unit_restatement_step s
        WHERE s.code = c.unit_code AND c.at_day BETWEEN s.day_from AND s.day_to) AS next_effective_from
FROM carried c;

-- Where a recorded (code, day) lands among the units valid on a review's structure day, with its weight.
CREATE VIEW unit_restated_landing AS
SELECT m.period_type, m.period_start, m.lag, p.origin_code, p.origin_day, p.unit_code, p.weight, p.depth
FROM review_measured_period m
JOIN unit_restatement_path p ON p.origin_day >= m.measured_start AND p.origin_day < m.measured_end
 AND p.at_day <= m.structure_day
 AND (p.next_effective_from IS NULL OR p.next_effective_from > m.structure_day)
JOIN unit_version v ON v.code = p.unit_code AND v.valid_from <= p.at_day
 AND (v.valid_to IS NULL OR v.valid_to >= m.structure_day);

-- Restated counts of the units valid on each review's structure day, per period read (lag), own and rolled up to
-- every ancestor valid that day. Numeric: a split divides counts. restated: some of them came through a succession.
CREATE VIEW unit_review_restated_counts AS
WITH own AS (
    SELECT l.period_type, l.period_start, l.lag, l.unit_code,
           sum(d.received * l.weight) AS received, sum(d.received_online * l.weight) AS received_online,
           sum(d.received_digitised * l.weight) AS received_digitised, sum(d.resolved * l.weight) AS resolved,
           sum((d.resolved_early + d.resolved_on_time) * l.weight) AS resolved_in_time,
           sum(d.resolved_late * l.weight) AS resolved_late, sum(d.results_digitised * l.weight) AS results_digitised,
           sum(d.ratings * l.weight) AS ratings, sum(d.ratings_satisfied * l.weight) AS ratings_satisfied,
           sum((d.rating_dissatisfied + d.rating_very_dissatisfied) * l.weight) AS ratings_dissatisfied,
           0::numeric AS open_at_end, 0::numeric AS open_within_deadline, bool_or(l.depth > 0) AS restated
    FROM unit_restated_landing l
    JOIN review_measured_period m ON m.period_type = l.period_type AND m.period_start = l.period_start AND m.lag = l.lag
    JOIN unit_kpi_daily d ON d.unit_code = l.origin_code AND d.day = l.origin_day
     AND d.day >= m.measured_start AND d.day < m.measured_end
    GROUP BY 1, 2, 3, 4
    UNION ALL
    -- Dossiers open at the end of the period read, recorded on its last day for the unit that received them.
    SELECT l.period_type, l.period_start, l.lag, l.unit_code, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           sum(l.weight), sum(l.weight) FILTER (WHERE x.effective_due_at >= m.measured_ends_at), bool_or(l.depth > 0)
    FROM review_measured_period m
    JOIN unit_restated_landing l ON l.period_type = m.period_type AND l.period_start = m.period_start AND l.lag = m.lag
     AND l.origin_day = m.measured_end - 1
    JOIN dossier x ON x.unit_code = l.origin_code AND x.received_at < m.measured_ends_at
     AND (x.ended_at IS NULL OR x.ended_at >= m.measured_ends_at)
    GROUP BY 1, 2, 3, 4
)
SELECT o.period_type, o.period_start, o.lag, c.ancestor_code AS unit_code,
       sum(received) AS received, sum(received_online) AS received_online, sum(received_digitised) AS received_digitised,
       sum(resolved) AS resolved, sum(resolved_in_time) AS resolved_in_time, sum(resolved_late) AS resolved_late,
       sum(results_digitised) AS results_digitised, sum(ratings) AS ratings, sum(ratings_satisfied) AS ratings_satisfied,
       sum(ratings_dissatisfied) AS ratings_dissatisfied,
       sum(open_at_end) AS open_at_end, sum(coalesce(open_within_deadline, 0)) AS open_within_deadline,
       bool_or(o.restated) AS restated
FROM own o
JOIN review_measured_period m ON m.period_type = o.period_type AND m.period_start = o.period_start AND m.lag = o.lag
JOIN unit_closure_dated c ON c.unit_code = o.unit_code AND m.structure_day BETWEEN c.valid_from AND c.valid_to
GROUP BY 1, 2, 3, 4;

-- Scores and ranks of every unit valid on a review's structure day, for each period read (lag 0: the period itself;
-- lag 1: the previous period on the same structure). The formulas, tie rule and "no data → unranked" are V6's.
DROP VIEW unit_review;
DROP VIEW unit_review_score;

CREATE VIEW unit_review_score AS
WITH base AS (
    SELECT v.code AS unit_code, v.name AS unit_name, v.level AS unit_level, v.parent_code,
           m.period_type, m.period_start, m.period_label, m.period_end, m.previous_start, m.structure_day,
           m.lag, m.measured_start,
           coalesce(r.received, 0) AS received, coalesce(r.received_online, 0) AS received_online,
           coalesce(r.received_digitised, 0) AS received_digitised, coalesce(r.resolved, 0) AS resolved,
           coalesce(r.resolved_in_time, 0) AS resolved_in_time, coalesce(r.resolved_late, 0) AS resolved_late,
           coalesce(r.results_digitised, 0) AS results_digitised, coalesce(r.ratings, 0) AS ratings,
           coalesce(r.ratings_satisfied, 0) AS ratings_satisfied, coalesce(r.ratings_dissatisfied, 0) AS ratings_dissatisfied,
           coalesce(r.open_at_end, 0) AS open_at_end, coalesce(r.open_within_deadline, 0) AS open_within_deadline,
           coalesce(r.restated, false) AS restated
    FROM review_measured_period m
    JOIN unit_version v ON v.valid_from <= m.structure_day AND (v.valid_to IS NULL OR v.valid_to >= m.structure_day)
    LEFT JOIN unit_review_restated_counts r ON r.unit_code = v.code AND r.period_type = m.period_type
     AND r.period_start = m.period_start AND r.lag = m.lag
), scored AS (
    SELECT b.*,
           b.resolved_in_time / NULLIF(b.resolved, 0) AS on_time_rate,
           b.received_online / NULLIF(b.received, 0) AS online_share,
           b.received_digitised / NULLIF(b.received, 0) AS intake_digitisation,
           b.results_digitised / NULLIF(b.resolved, 0) AS result_digitisation,
           b.ratings_satisfied / NULLIF(b.ratings, 0) AS satisfaction,
           (b.resolved_in_time + b.open_within_deadline) / NULLIF(b.resolved + b.open_at_end, 0) AS progress_ratio,
           b.resolved_late / NULLIF(b.resolved, 0) AS overdue_rate,
           b.ratings_dissatisfied / NULLIF(b.ratings, 0) AS dissatisfied_rate,
           CASE WHEN b.resolved > 0 AND b.ratings > 0
                    THEN (b.resolved * b.ratings - b.resolved_late * b.ratings - b.ratings_dissatisfied * b.resolved)
                         / (b.resolved * b.ratings)
                WHEN b.resolved > 0 THEN (b.resolved - b.resolved_late) / b.resolved
                WHEN b.ratings > 0 THEN (b.ratings - b.ratings_dissatisfied) / b.ratings
           END AS satisfaction_index,
           coalesce(round((20 * (b.resolved_in_time + b.open_within_deadline))
                          / NULLIF(b.resolved + b.open_at_end, 0), 2), 0) AS points_progress,
           least(6, coalesce(round((12 * b.received_online) / NULLIF(b.received, 0), 2), 0)) AS points_online,
           least(4, coalesce(round((5 * b.received_digitised) / NULLIF(b.received, 0), 2), 0)) AS points_intake_digitisation,
           coalesce(round((6 * b.results_digitised) / NULLIF(b.resolved, 0), 2), 0) AS points_result_digitisation,
           least(6, greatest(0, coalesce(round(CASE
                WHEN b.resolved > 0 AND b.ratings > 0
                    THEN (20 * (b.resolved * b.ratings - b.resolved_late * b.ratings - b.ratings_dissatisfied * b.resolved))
                         / (3 * b.resolved * b.ratings)
                WHEN b.resolved > 0 THEN (20 * (b.resolved - b.resolved_late)) / (3 * b.resolved)
                WHEN b.ratings > 0 THEN (20 * (b.ratings - b.ratings_dissatisfied)) / (3 * b.ratings)
           END, 2), 0))) AS points_satisfaction
    FROM base b
), totalled AS (
    SELECT s.*,
           points_progress + points_online + points_intake_digitisation + points_result_digitisation
               + points_satisfaction AS total_points,
           (s.received + s.resolved + s.open_at_end + s.ratings) > 0 AS has_data
    FROM scored s
)
SELECT t.*,
       -- Tie rule: higher total, then higher 2.1 progress points, then the smaller unit code; units without data
       -- are not ranked (V6).
       CASE WHEN t.has_data THEN
           row_number() OVER (PARTITION BY t.period_type, t.period_start, t.lag, t.parent_code, t.unit_level, t.has_data
                              ORDER BY t.total_points DESC, t.points_progress DESC, t.unit_code)::integer
       END AS rank,
       (SELECT w.indicator
        FROM (VALUES (1, 'progress', 20 - t.points_progress),
                     (2, 'online', 6 - t.points_online),
                     (3, 'intake_digitisation', 4 - t.points_intake_digitisation),
                     (4, 'result_digitisation', 6 - t.points_result_digitisation),
                     (5, 'satisfaction', 6 - t.points_satisfaction)) AS w(ord, indicator, lost)
        WHERE w.lost > 0 AND t.has_data
        ORDER BY w.lost DESC, w.ord
        LIMIT 1) AS weakest_indicator
FROM totalled t;

-- The reporting contract of the control reviews, V3's columns (counts now numeric: restated counts of a split unit
-- are fractional) plus restated: true when some of the unit's counts in the period or the previous one come from
-- another unit (a predecessor) through a succession.
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
       s.period_end, s.received_online, s.received_digitised, s.resolved_in_time, s.resolved_late,
       s.results_digitised, s.ratings, s.ratings_satisfied, s.ratings_dissatisfied,
       s.open_at_end, s.open_within_deadline, s.overdue_rate, s.dissatisfied_rate, s.satisfaction_index,
       p.total_points AS previous_total_points,
       s.has_data, s.structure_day,
       s.restated OR coalesce(p.restated, false) AS restated
FROM unit_review_score s
LEFT JOIN unit_review_score p
       ON p.unit_code = s.unit_code AND p.period_type = s.period_type AND p.period_start = s.period_start AND p.lag = 1
WHERE s.lag = 0;

GRANT SELECT ON unit_restatement_path, review_measured_period, unit_restated_landing, unit_review_restated_counts,
    unit_review_score, unit_review TO onestop_reader;
