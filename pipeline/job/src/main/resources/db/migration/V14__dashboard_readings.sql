-- The dashboards' daily counts in both readings of history, each row with the day whose unit structure it belongs to
-- (issue 15, docs/DASHBOARDS.md). A panel filters a unit and everything below it with unit_closure_dated on that
-- day, so a reused code's days before 2025-07-01 go to the parents the old unit had (Huyện Thanh Miện, Hải Dương)
-- and its days from 1 July to Hải Phòng. The undated unit_closure (built from each code's latest version) cannot do
-- that; the dashboards no longer read it.
--
-- reading = 'recorded': unit_kpi_daily as the job recorded it; structure_day is unit_registry_day (the day itself
--   while the code has a version valid on it, else the last day of the code's latest version before it: a late
--   event of a unit that ended belongs to that unit as it was on its last day).
-- reading = 'restated': unit_kpi_daily_restated, every count carried into the units valid today; structure_day is
--   today (local), the structure those units have.
-- Panels pick a reading by comparing a quoted literal with this column ('$history'), so the planner drops the
-- other branch (a constant-false filter on it) and the recursive restatement runs only when asked for.
CREATE VIEW unit_kpi_daily_reading AS
SELECT 'recorded'::text AS reading, unit_registry_day(d.unit_code, d.day) AS structure_day,
       d.unit_code, d.day,
       d.received::numeric AS received, d.received_online::numeric AS received_online,
       d.received_digitised::numeric AS received_digitised, d.resolved::numeric AS resolved,
       d.resolved_early::numeric AS resolved_early, d.resolved_on_time::numeric AS resolved_on_time,
       d.resolved_late::numeric AS resolved_late, d.results_digitised::numeric AS results_digitised,
       d.ratings::numeric AS ratings, d.ratings_satisfied::numeric AS ratings_satisfied,
       d.received_direct::numeric AS received_direct, d.received_postal::numeric AS received_postal,
       d.resolved_within_hour::numeric AS resolved_within_hour, d.withdrawn::numeric AS withdrawn
FROM unit_kpi_daily d
UNION ALL
SELECT 'restated'::text, (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
       r.unit_code, r.day,
       r.received, r.received_online, r.received_digitised, r.resolved,
       r.resolved_early, r.resolved_on_time, r.resolved_late, r.results_digitised,
       r.ratings, r.ratings_satisfied, r.received_direct, r.received_postal,
       r.resolved_within_hour, r.withdrawn
FROM unit_kpi_daily_restated r;

-- The unit versions a ranking lists: for a parent and a day, the children whose version valid on that day has that
-- parent, named as they were then. Tổng quan ranks the children of $parent on its "today" (the last day of the
-- range) or, for a parent that ended inside the range, on the parent's last day; Kiểm điểm's 766 rows on the
-- period's last day. valid_to is 'infinity' for a version still open. The day for a parent that may have ended is
-- unit_registry_day(parent, day): the day itself, or the parent's last day before it.
CREATE FUNCTION unit_children_on(p_parent text, p_day date)
    RETURNS TABLE (code text, name text, level text, valid_from date, valid_to date)
    LANGUAGE sql STABLE AS $$
    SELECT v.code, v.name, v.level, v.valid_from, coalesce(v.valid_to, 'infinity'::date)
    FROM unit_version v
    WHERE v.parent_code = p_parent AND v.valid_from <= p_day AND (v.valid_to IS NULL OR v.valid_to >= p_day)
$$;

GRANT SELECT ON unit_kpi_daily_reading TO onestop_reader;
GRANT EXECUTE ON FUNCTION unit_children_on(text, date) TO onestop_reader;
