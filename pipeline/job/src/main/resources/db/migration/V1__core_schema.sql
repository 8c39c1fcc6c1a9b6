-- Reference data: loaded from CSV (units.csv, procedures.csv, sla_targets.csv). The hierarchy is data, never code.
CREATE TABLE unit (
    code         text PRIMARY KEY,
    name         text NOT NULL,
    level        text NOT NULL CHECK (level IN ('PROVINCE', 'DISTRICT', 'COMMUNE')),
    parent_code  text,
    valid_from   date,
    valid_to     date
);

CREATE TABLE procedure (
    code             text PRIMARY KEY,
    name             text NOT NULL,
    field            text,
    statutory_hours  numeric
);

-- One row per unit, or unit_code '*' for the default every unit without its own row gets.
CREATE TABLE sla_target (
    unit_code             text PRIMARY KEY,
    on_time_rate          numeric NOT NULL,
    online_share          numeric NOT NULL,
    intake_digitisation   numeric NOT NULL,
    satisfaction          numeric NOT NULL,
    min_volume            integer NOT NULL
);

-- Additive counts per unit and hour (local hours of UTC+7 coincide with UTC hours). Ratios are never stored.
CREATE TABLE kpi_hourly (
    unit_code                 text NOT NULL,
    hour                      timestamptz NOT NULL,
    received                  bigint NOT NULL DEFAULT 0,
    received_online           bigint NOT NULL DEFAULT 0,
    received_direct           bigint NOT NULL DEFAULT 0,
    received_postal           bigint NOT NULL DEFAULT 0,
    received_digitised        bigint NOT NULL DEFAULT 0,
    resolved                  bigint NOT NULL DEFAULT 0,
    resolved_early            bigint NOT NULL DEFAULT 0,
    resolved_on_time          bigint NOT NULL DEFAULT 0,
    resolved_late             bigint NOT NULL DEFAULT 0,
    results_digitised         bigint NOT NULL DEFAULT 0,
    resolved_within_hour      bigint NOT NULL DEFAULT 0,
    withdrawn                 bigint NOT NULL DEFAULT 0,
    ratings                   bigint NOT NULL DEFAULT 0,
    rating_very_satisfied     bigint NOT NULL DEFAULT 0,
    rating_satisfied          bigint NOT NULL DEFAULT 0,
    rating_neutral            bigint NOT NULL DEFAULT 0,
    rating_dissatisfied       bigint NOT NULL DEFAULT 0,
    rating_very_dissatisfied  bigint NOT NULL DEFAULT 0,
    updated_at                timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (unit_code, hour)
);

-- Current state of every dossier the job has seen. No personal data: identifiers, codes and times only.
CREATE TABLE dossier (
    dossier_id           text PRIMARY KEY,
    unit_code            text,
    procedure_code       text,
    channel              text,
    received_at          timestamptz,
    due_at               timestamptz,
    effective_due_at     timestamptz,
    supplement_requests  integer NOT NULL DEFAULT 0,
    waiting_supplement   boolean NOT NULL DEFAULT false,
    paused_seconds       bigint NOT NULL DEFAULT 0,
    ended_at             timestamptz,
    end_type             text,
    status               text NOT NULL,
    digitised            boolean NOT NULL DEFAULT false,
    result_digitised     boolean NOT NULL DEFAULT false,
    apology_due_at       timestamptz,
    last_event_at        timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dossier_unit_status ON dossier (unit_code, status);
CREATE INDEX dossier_open_due ON dossier (effective_due_at) WHERE status IN ('OPEN', 'WAITING_SUPPLEMENT');

-- Records that broke the contract, with where they came from and why. Payloads may hold personal data: only the
-- job and operators read this table; dashboards see dead_letter_summary.
CREATE TABLE dead_letter (
    id               bigserial PRIMARY KEY,
    topic            text NOT NULL,
    kafka_partition  integer NOT NULL,
    kafka_offset     bigint NOT NULL,
    reason           text NOT NULL,
    detail           text,
    payload          bytea NOT NULL,
    payload_bytes    integer NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (topic, kafka_partition, kafka_offset)
);

-- ---------------------------------------------------------------- reporting contract

CREATE VIEW unit_kpi_hourly AS
SELECT unit_code, hour,
       received, received_online, received_digitised,
       resolved, resolved_early, resolved_on_time, resolved_late, results_digitised,
       ratings, rating_very_satisfied + rating_satisfied AS ratings_satisfied,
       received_direct, received_postal, resolved_within_hour, withdrawn,
       rating_very_satisfied, rating_satisfied, rating_neutral, rating_dissatisfied, rating_very_dissatisfied
FROM kpi_hourly;

CREATE VIEW unit_kpi_daily AS
SELECT unit_code,
       (hour AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day,
       sum(received)::bigint AS received,
       sum(received_online)::bigint AS received_online,
       sum(received_digitised)::bigint AS received_digitised,
       sum(resolved)::bigint AS resolved,
       sum(resolved_early)::bigint AS resolved_early,
       sum(resolved_on_time)::bigint AS resolved_on_time,
       sum(resolved_late)::bigint AS resolved_late,
       sum(results_digitised)::bigint AS results_digitised,
       sum(ratings)::bigint AS ratings,
       sum(rating_very_satisfied + rating_satisfied)::bigint AS ratings_satisfied,
       sum(received_direct)::bigint AS received_direct,
       sum(received_postal)::bigint AS received_postal,
       sum(resolved_within_hour)::bigint AS resolved_within_hour,
       sum(withdrawn)::bigint AS withdrawn,
       sum(rating_very_satisfied)::bigint AS rating_very_satisfied,
       sum(rating_satisfied)::bigint AS rating_satisfied,
       sum(rating_neutral)::bigint AS rating_neutral,
       sum(rating_dissatisfied)::bigint AS rating_dissatisfied,
       sum(rating_very_dissatisfied)::bigint AS rating_very_dissatisfied
FROM kpi_hourly
GROUP BY unit_code, (hour AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;

-- Every unit with all units below it (itself included), whatever the depth of the hierarchy.
CREATE VIEW unit_closure AS
WITH RECURSIVE tree (ancestor_code, unit_code, depth) AS (
    SELECT code, code, 0 FROM unit
    UNION ALL
    SELECT t.ancestor_code, u.code, t.depth + 1
    FROM tree t JOIN unit u ON u.parent_code = t.unit_code
    WHERE t.depth < 16
)
SELECT ancestor_code, unit_code, depth FROM tree;

-- Periods: local calendar month, quarter and year, from summed daily counts.
CREATE VIEW unit_kpi_period AS
SELECT d.unit_code, p.period_type, p.period_start,
       sum(received)::bigint AS received, sum(received_online)::bigint AS received_online,
       sum(received_digitised)::bigint AS received_digitised, sum(resolved)::bigint AS resolved,
       sum(resolved_early)::bigint AS resolved_early, sum(resolved_on_time)::bigint AS resolved_on_time,
       sum(resolved_late)::bigint AS resolved_late, sum(results_digitised)::bigint AS results_digitised,
       sum(ratings)::bigint AS ratings, sum(ratings_satisfied)::bigint AS ratings_satisfied,
       sum(rating_dissatisfied + rating_very_dissatisfied)::bigint AS ratings_dissatisfied,
       sum(resolved_within_hour)::bigint AS resolved_within_hour, sum(withdrawn)::bigint AS withdrawn
FROM unit_kpi_daily d
CROSS JOIN LATERAL (VALUES ('day', d.day),
                           ('month', date_trunc('month', d.day)::date),
                           ('quarter', date_trunc('quarter', d.day)::date),
                           ('year', date_trunc('year', d.day)::date)) AS p(period_type, period_start)
GROUP BY d.unit_code, p.period_type, p.period_start;

-- The same periods rolled up to every ancestor unit (a district sums its communes), from summed counts.
CREATE VIEW unit_kpi_period_rollup AS
SELECT c.ancestor_code AS unit_code, k.period_type, k.period_start,
       sum(k.received)::bigint AS received, sum(k.received_online)::bigint AS received_online,
       sum(k.received_digitised)::bigint AS received_digitised, sum(k.resolved)::bigint AS resolved,
       sum(k.resolved_early)::bigint AS resolved_early, sum(k.resolved_on_time)::bigint AS resolved_on_time,
       sum(k.resolved_late)::bigint AS resolved_late, sum(k.results_digitised)::bigint AS results_digitised,
       sum(k.ratings)::bigint AS ratings, sum(k.ratings_satisfied)::bigint AS ratings_satisfied,
       sum(k.ratings_dissatisfied)::bigint AS ratings_dissatisfied,
       sum(k.resolved_within_hour)::bigint AS resolved_within_hour, sum(k.withdrawn)::bigint AS withdrawn
FROM unit_kpi_period k JOIN unit_closure c ON c.unit_code = k.unit_code
GROUP BY c.ancestor_code, k.period_type, k.period_start;

-- Ratios, always from summed counts (NULL where the denominator is zero).
CREATE VIEW unit_kpi_period_ratio AS
SELECT unit_code, period_type, period_start, received, resolved, ratings,
       (resolved_early + resolved_on_time)::numeric / NULLIF(resolved, 0) AS on_time_rate,
       received_online::numeric / NULLIF(received, 0) AS online_share,
       received_digitised::numeric / NULLIF(received, 0) AS intake_digitisation,
       results_digitised::numeric / NULLIF(resolved, 0) AS result_digitisation,
       ratings_satisfied::numeric / NULLIF(ratings, 0) AS satisfaction,
       resolved_within_hour::numeric / NULLIF(resolved, 0) AS within_hour_share
FROM unit_kpi_period_rollup;

-- Open dossiers whose effective due time has passed and whose clock is running.
CREATE VIEW unit_overdue_now AS
SELECT u.code AS unit_code, count(d.dossier_id)::bigint AS overdue
FROM unit u
LEFT JOIN dossier d ON d.unit_code = u.code AND d.status = 'OPEN' AND d.effective_due_at < now()
GROUP BY u.code;

-- Processing time from receipt to the end of processing, per unit and local day of the end (SPEC 2.2).
CREATE VIEW unit_processing_time_daily AS
SELECT unit_code, (ended_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day,
       count(*)::bigint AS ended,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - received_at) / 3600.0) AS median_hours,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM ended_at - received_at) / 3600.0) AS p90_hours,
       avg(CASE WHEN ended_at - received_at <= interval '60 minutes' THEN 1.0 ELSE 0.0 END) AS within_hour_share
FROM dossier
WHERE status IN ('EARLY', 'ON_TIME', 'LATE')
GROUP BY unit_code, (ended_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;

-- Procedure codes seen in events but missing from the registry: accepted, and reported here.
CREATE VIEW unknown_procedure AS
SELECT d.procedure_code, count(*)::bigint AS dossiers, min(d.received_at) AS first_seen
FROM dossier d LEFT JOIN procedure p ON p.code = d.procedure_code
WHERE d.procedure_code IS NOT NULL AND p.code IS NULL
GROUP BY d.procedure_code;

CREATE VIEW dead_letter_summary AS
SELECT topic, reason, (recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, count(*)::bigint AS records
FROM dead_letter GROUP BY topic, reason, (recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;

-- ---------------------------------------------------------------- least privilege
-- Group roles; login users (with passwords from the environment) are granted one of them by the deployment.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'onestop_writer') THEN
        CREATE ROLE onestop_writer NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'onestop_reader') THEN
        CREATE ROLE onestop_reader NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO onestop_writer, onestop_reader;
GRANT SELECT ON unit, procedure, sla_target TO onestop_writer;
GRANT SELECT, INSERT, UPDATE ON kpi_hourly, dossier, dead_letter TO onestop_writer;
GRANT USAGE ON SEQUENCE dead_letter_id_seq TO onestop_writer;
GRANT SELECT ON unit, procedure, sla_target,
    unit_kpi_hourly, unit_kpi_daily, unit_closure, unit_kpi_period, unit_kpi_period_rollup, unit_kpi_period_ratio,
    unit_overdue_now, unit_processing_time_daily, unknown_procedure, dead_letter_summary
    TO onestop_reader;
