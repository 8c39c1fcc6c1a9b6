-- Every record read is accounted for (issue 7): per topic and local day of the record's Kafka timestamp, how many
-- were read and what became of them. Written by the job as absolute counts.
CREATE TABLE ingest_tally (
    topic         text NOT NULL,
    day           date NOT NULL,
    read          bigint NOT NULL DEFAULT 0,
    accepted      bigint NOT NULL DEFAULT 0,
    duplicates    bigint NOT NULL DEFAULT 0,
    dead_letters  bigint NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, day)
);

-- How many accepted events belong to dossiers still waiting for their RECEIVED (pending, not lost).
ALTER TABLE dossier ADD COLUMN events_applied integer NOT NULL DEFAULT 0;

-- read = processed + pending + duplicates + dead letters. Pending is known per topic (the dossier's events may have
-- arrived on several days), so per day it is shown within accepted; unaccounted must be 0 on every row.
CREATE VIEW ingest_reconciliation AS
SELECT t.topic, t.day, t.read, t.accepted, t.duplicates, t.dead_letters,
       t.read - t.accepted - t.duplicates - t.dead_letters AS unaccounted
FROM ingest_tally t;

CREATE VIEW ingest_pending AS
SELECT 'dossier-events'::text AS topic, count(*)::bigint AS dossiers, coalesce(sum(events_applied), 0)::bigint AS events
FROM dossier WHERE status = 'PENDING_RECEIPT';

GRANT SELECT, INSERT, UPDATE ON ingest_tally TO onestop_writer;
GRANT SELECT ON ingest_reconciliation, ingest_pending TO onestop_reader;
