-- One dead_letter row per bad record, with an occurrence count (issue 14). `make replay` republishes a file at new
-- Kafka offsets, so the position can no longer be a dead letter's identity: the identity becomes what was refused
-- and why (topic, reason, the payload's full length and the SHA-256 of its stored bytes, the first 64 KiB; for
-- longer payloads the length keeps cut-off variants apart in all but contrived cases). The count must stay
-- idempotent, because a restart from a checkpoint or a replay re-reading the whole topic reads the same positions
-- again: so the positions go to dead_letter_occurrence, one row per Kafka position, and the sink adds one to
-- dead_letter.occurrences only in the statement that inserted a new position (sink/Rows.DeadLetters).

ALTER TABLE dead_letter
    ADD COLUMN payload_sha256 bytea,
    ADD COLUMN occurrences    integer NOT NULL DEFAULT 1,
    ADD COLUMN last_seen_at   timestamptz;
UPDATE dead_letter SET payload_sha256 = sha256(payload), last_seen_at = recorded_at;

-- Where each bad record was read: no payload (that stays in dead_letter, readable by operators only).
CREATE TABLE dead_letter_occurrence (
    topic            text NOT NULL,
    kafka_partition  integer NOT NULL,
    kafka_offset     bigint NOT NULL,
    reason           text NOT NULL,
    payload_bytes    integer NOT NULL,
    payload_sha256   bytea NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (topic, kafka_partition, kafka_offset)
);
INSERT INTO dead_letter_occurrence (topic, kafka_partition, kafka_offset, reason, payload_bytes, payload_sha256, recorded_at)
SELECT topic, kafka_partition, kafka_offset, reason, payload_bytes, payload_sha256, recorded_at FROM dead_letter;

-- Rows written before this migration: merge the copies of one bad record into its earliest row.
WITH copies AS (
    SELECT id,
           row_number() OVER (PARTITION BY topic, reason, payload_bytes, payload_sha256 ORDER BY recorded_at, id) AS nth,
           count(*) OVER (PARTITION BY topic, reason, payload_bytes, payload_sha256) AS n,
           max(recorded_at) OVER (PARTITION BY topic, reason, payload_bytes, payload_sha256) AS last_seen
    FROM dead_letter
)
UPDATE dead_letter d SET occurrences = c.n, last_seen_at = c.last_seen FROM copies c WHERE d.id = c.id AND c.nth = 1;
DELETE FROM dead_letter d
WHERE EXISTS (SELECT 1 FROM dead_letter k
              WHERE k.topic = d.topic AND k.reason = d.reason AND k.payload_bytes = d.payload_bytes
                AND k.payload_sha256 = d.payload_sha256 AND (k.recorded_at, k.id) < (d.recorded_at, d.id));

ALTER TABLE dead_letter
    ALTER COLUMN payload_sha256 SET NOT NULL,
    ALTER COLUMN last_seen_at SET NOT NULL,
    ALTER COLUMN last_seen_at SET DEFAULT now(),
    -- topic, kafka_partition, kafka_offset now say where the record was first read; every position is in
    -- dead_letter_occurrence.
    DROP CONSTRAINT dead_letter_topic_kafka_partition_kafka_offset_key,
    ADD CONSTRAINT dead_letter_record UNIQUE (topic, reason, payload_bytes, payload_sha256);

-- Records per topic, reason and local day, as before: every time a bad record was read, now from the positions.
CREATE OR REPLACE VIEW dead_letter_summary AS
SELECT topic, reason, (recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day, count(*)::bigint AS records
FROM dead_letter_occurrence GROUP BY topic, reason, (recorded_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date;

-- Least privilege: the job inserts positions (SELECT for the RETURNING of that insert) and never changes or deletes
-- one; dashboards keep dead_letter_summary and see neither table.
GRANT SELECT, INSERT ON dead_letter_occurrence TO onestop_writer;
