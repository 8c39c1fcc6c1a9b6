-- Units as they are on each day (issue 15, docs/UNITS.md). units.csv may hold several versions of one code with
-- disjoint validity intervals, and unit_succession.csv says which share of a predecessor's history goes to each
-- successor. Both are checked as a whole by the loader (reference/UnitRegistryReader) before a row is written; the
-- constraints here are the backstop for anyone writing the tables by hand.
--
-- The table unit stays, one row per code: the code's latest version (the one valid today, or the last one it had).
-- Views that predate versions (unit_closure, unit_overdue_now, the review views) keep reading it; what needs the
-- dated structure reads unit_version.

CREATE TABLE unit_version (
    code         text NOT NULL,
    name         text NOT NULL,
    level        text NOT NULL CHECK (level IN ('PROVINCE', 'DISTRICT', 'COMMUNE')),
    parent_code  text,
    -- First and last valid day, both inclusive. An open start is '-infinity' (it is part of the key, so it cannot
    -- be NULL); an open end is NULL, as in units.csv.
    valid_from   date NOT NULL DEFAULT '-infinity',
    valid_to     date,
    PRIMARY KEY (code, valid_from),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE unit_succession (
    predecessor_code  text NOT NULL,
    successor_code    text NOT NULL,
    -- The successor's first day; the predecessor version is the one valid the day before.
    effective_from    date NOT NULL,
    share             numeric NOT NULL CHECK (share > 0 AND share <= 1),
    PRIMARY KEY (predecessor_code, successor_code, effective_from)
);

-- For each predecessor code and reorganisation: the recorded days [day_from, day_to] that this reorganisation
-- carries (the days of the predecessor version since its previous reorganisation), and where each share goes.
-- A count recorded on effective_from - 1 goes with the reorganisation of effective_from; one recorded on
-- effective_from itself already belongs to the unit as it is after it.
CREATE VIEW unit_restatement_step AS
WITH reorganisation AS (
    SELECT DISTINCT predecessor_code AS code, effective_from FROM unit_succession
), bounded AS (
    SELECT r.code, r.effective_from,
           greatest(v.valid_from,
                    coalesce(lag(r.effective_from) OVER (PARTITION BY r.code ORDER BY r.effective_from), '-infinity'::date))
               AS day_from
    FROM reorganisation r
    JOIN unit_version v ON v.code = r.code AND v.valid_from <= r.effective_from - 1
                       AND (v.valid_to IS NULL OR v.valid_to >= r.effective_from - 1)
)
SELECT b.code, b.day_from, b.effective_from - 1 AS day_to, b.effective_from, s.successor_code, s.share
FROM bounded b
JOIN unit_succession s ON s.predecessor_code = b.code AND s.effective_from = b.effective_from;

-- The day a recorded count of a code belongs to in the registry: the day itself while a version of the code is
-- valid on it; otherwise the last day of the code's latest version before it. Counts follow the unit that received
-- the dossier, so a pre-merger dossier resolved in July is recorded for a unit that ended on 30 June: its count is
-- that unit's, carried (restated) or rolled up as of that unit's last day. NULL for a code not in the registry.
CREATE FUNCTION unit_registry_day(p_code text, p_day date) RETURNS date
    LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN v.valid_to IS NULL OR v.valid_to >= p_day THEN p_day ELSE v.valid_to END
    FROM unit_version v
    WHERE v.code = p_code AND v.valid_from <= p_day
    ORDER BY v.valid_from DESC
    LIMIT 1
$$;

-- Every unit version with its ancestors and the days on which each is its ancestor (the parent link belongs to the
-- version, so a commune can have one province until 30 June and another from 1 July). Open ends are 'infinity'.
CREATE VIEW unit_closure_dated AS
WITH RECURSIVE tree (ancestor_code, unit_code, valid_from, valid_to, depth) AS (
    SELECT code, code, valid_from, coalesce(valid_to, 'infinity'::date), 0 FROM unit_version
    UNION ALL
    SELECT a.parent_code, t.unit_code, greatest(t.valid_from, a.valid_from),
           least(t.valid_to, coalesce(a.valid_to, 'infinity'::date)), t.depth + 1
    FROM tree t
    JOIN unit_version a ON a.code = t.ancestor_code AND a.parent_code IS NOT NULL
                       AND a.valid_from <= t.valid_to AND coalesce(a.valid_to, 'infinity'::date) >= t.valid_from
    WHERE t.depth < 16
)
SELECT ancestor_code, unit_code, valid_from, valid_to, depth FROM tree;

-- Recorded history rolled up to every ancestor with the parent valid on the day (the day as unit_registry_day
-- reads it): Hải Dương sums Thanh Miện's communes until 30 June 2025, Hải Phòng the new communes from 1 July.
CREATE VIEW unit_kpi_daily_rollup AS
SELECT c.ancestor_code AS unit_code, d.day,
       sum(d.received)::bigint AS received, sum(d.received_online)::bigint AS received_online,
       sum(d.received_digitised)::bigint AS received_digitised, sum(d.resolved)::bigint AS resolved,
       sum(d.resolved_early)::bigint AS resolved_early, sum(d.resolved_on_time)::bigint AS resolved_on_time,
       sum(d.resolved_late)::bigint AS resolved_late, sum(d.results_digitised)::bigint AS results_digitised,
       sum(d.ratings)::bigint AS ratings, sum(d.ratings_satisfied)::bigint AS ratings_satisfied,
       sum(d.received_direct)::bigint AS received_direct, sum(d.received_postal)::bigint AS received_postal,
       sum(d.resolved_within_hour)::bigint AS resolved_within_hour, sum(d.withdrawn)::bigint AS withdrawn,
       sum(d.rating_very_satisfied)::bigint AS rating_very_satisfied, sum(d.rating_satisfied)::bigint AS rating_satisfied,
       sum(d.rating_neutral)::bigint AS rating_neutral, sum(d.rating_dissatisfied)::bigint AS rating_dissatisfied,
       sum(d.rating_very_dissatisfied)::bigint AS rating_very_dissatisfied
FROM unit_kpi_daily d
JOIN unit_closure_dated c ON c.unit_code = d.unit_code
 AND unit_registry_day(d.unit_code, d.day) BETWEEN c.valid_from AND c.valid_to
GROUP BY c.ancestor_code, d.day;

-- Restated history: every recorded (unit, day) carried into the units valid today (local day) through the
-- succession chain, shares multiplying along it. For every day and column, the sum over the units valid today
-- equals the recorded sum over their predecessors. A count whose chain ends at a unit that is not valid today and
-- has no successor (a district of the abolished tier) is in no unit's restated history, and neither is a count
-- of a code the registry does not know. Numeric columns: a split divides counts.
CREATE VIEW unit_kpi_daily_restated AS
WITH RECURSIVE today AS (
    SELECT (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day
), carried (origin_code, day, unit_code, at_day, weight, depth) AS (
    SELECT k.unit_code, k.day, k.unit_code, unit_registry_day(k.unit_code, k.day), 1::numeric, 0
    FROM (SELECT DISTINCT unit_code, day FROM unit_kpi_daily) k
    WHERE unit_registry_day(k.unit_code, k.day) IS NOT NULL
    UNION ALL
    SELECT c.origin_code, c.day, s.successor_code, s.effective_from, c.weight * s.share, c.depth + 1
    FROM carried c
    JOIN unit_restatement_step s ON s.code = c.unit_code AND c.at_day BETWEEN s.day_from AND s.day_to
    WHERE s.effective_from <= (SELECT day FROM today) AND c.depth < 32
), landed AS (
    -- Where a chain stops: no further reorganisation up to today, and the version it reached is still valid today.
    SELECT c.origin_code, c.day, c.unit_code, c.weight
    FROM carried c, today t
    WHERE NOT EXISTS (SELECT 1 FROM unit_restatement_step s
                      WHERE s.code = c.unit_code AND c.at_day BETWEEN s.day_from AND s.day_to AND s.effective_from <= t.day)
      AND EXISTS (SELECT 1 FROM unit_version v
                  WHERE v.code = c.unit_code AND v.valid_from <= c.at_day AND (v.valid_to IS NULL OR v.valid_to >= t.day))
)
SELECT l.unit_code, d.day,
       sum(d.received * l.weight) AS received, sum(d.received_online * l.weight) AS received_online,
       sum(d.received_digitised * l.weight) AS received_digitised, sum(d.resolved * l.weight) AS resolved,
       sum(d.resolved_early * l.weight) AS resolved_early, sum(d.resolved_on_time * l.weight) AS resolved_on_time,
       sum(d.resolved_late * l.weight) AS resolved_late, sum(d.results_digitised * l.weight) AS results_digitised,
       sum(d.ratings * l.weight) AS ratings, sum(d.ratings_satisfied * l.weight) AS ratings_satisfied,
       sum(d.received_direct * l.weight) AS received_direct, sum(d.received_postal * l.weight) AS received_postal,
       sum(d.resolved_within_hour * l.weight) AS resolved_within_hour, sum(d.withdrawn * l.weight) AS withdrawn,
       sum(d.rating_very_satisfied * l.weight) AS rating_very_satisfied, sum(d.rating_satisfied * l.weight) AS rating_satisfied,
       sum(d.rating_neutral * l.weight) AS rating_neutral, sum(d.rating_dissatisfied * l.weight) AS rating_dissatisfied,
       sum(d.rating_very_dissatisfied * l.weight) AS rating_very_dissatisfied
FROM landed l
JOIN unit_kpi_daily d ON d.unit_code = l.origin_code AND d.day = l.day
GROUP BY l.unit_code, d.day;

-- Restated history rolled up with today's structure: restated history is the units as they are now, so its
-- parents are the parents valid today.
CREATE VIEW unit_kpi_daily_restated_rollup AS
SELECT c.ancestor_code AS unit_code, r.day,
       sum(r.received) AS received, sum(r.received_online) AS received_online,
       sum(r.received_digitised) AS received_digitised, sum(r.resolved) AS resolved,
       sum(r.resolved_early) AS resolved_early, sum(r.resolved_on_time) AS resolved_on_time,
       sum(r.resolved_late) AS resolved_late, sum(r.results_digitised) AS results_digitised,
       sum(r.ratings) AS ratings, sum(r.ratings_satisfied) AS ratings_satisfied,
       sum(r.received_direct) AS received_direct, sum(r.received_postal) AS received_postal,
       sum(r.resolved_within_hour) AS resolved_within_hour, sum(r.withdrawn) AS withdrawn,
       sum(r.rating_very_satisfied) AS rating_very_satisfied, sum(r.rating_satisfied) AS rating_satisfied,
       sum(r.rating_neutral) AS rating_neutral, sum(r.rating_dissatisfied) AS rating_dissatisfied,
       sum(r.rating_very_dissatisfied) AS rating_very_dissatisfied
FROM unit_kpi_daily_restated r
JOIN unit_closure_dated c ON c.unit_code = r.unit_code
 AND (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date BETWEEN c.valid_from AND c.valid_to
GROUP BY c.ancestor_code, r.day;

GRANT SELECT ON unit_version, unit_succession TO onestop_writer;
GRANT SELECT ON unit_version, unit_succession, unit_restatement_step, unit_closure_dated, unit_kpi_daily_rollup,
    unit_kpi_daily_restated, unit_kpi_daily_restated_rollup
    TO onestop_reader;
GRANT EXECUTE ON FUNCTION unit_registry_day(text, date) TO onestop_writer, onestop_reader;
