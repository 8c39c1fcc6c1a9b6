-- SLA alerts (issue 3): one row per alert, identified deterministically so replays and restarts upsert the same row.
CREATE TABLE sla_alert (
    id          text PRIMARY KEY,
    kind        text NOT NULL CHECK (kind IN ('DOSSIER_OVERDUE', 'DOSSIER_AT_RISK', 'KPI_BELOW_TARGET')),
    unit_code   text NOT NULL,
    dossier_id  text,
    kpi         text,
    value       numeric,
    target      numeric,
    opened_at   timestamptz NOT NULL,
    closed_at   timestamptz,
    details     jsonb NOT NULL DEFAULT '{}'::jsonb,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sla_alert_open ON sla_alert (unit_code, kind) WHERE closed_at IS NULL;
CREATE INDEX sla_alert_opened ON sla_alert (opened_at);

-- Working calendar (reference data from CSV): office hours per ISO weekday (1 = Monday), public holidays and the
-- make-up working days Vietnam moves around Tết and 2 September.
CREATE TABLE office_hours (
    weekday     smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens_at    time NOT NULL,
    closes_at   time NOT NULL CHECK (closes_at > opens_at),
    PRIMARY KEY (weekday, opens_at)
);

CREATE TABLE calendar_day (
    day    date PRIMARY KEY,
    kind   text NOT NULL CHECK (kind IN ('HOLIDAY', 'WORKING_DAY')),
    name   text NOT NULL
);

GRANT SELECT, INSERT, UPDATE ON sla_alert TO onestop_writer;
GRANT SELECT ON office_hours, calendar_day TO onestop_writer;
-- Neither alerts nor dossier rows hold personal data (codes, identifiers, times), so dashboards may read them.
GRANT SELECT ON sla_alert, dossier, office_hours, calendar_day TO onestop_reader;
