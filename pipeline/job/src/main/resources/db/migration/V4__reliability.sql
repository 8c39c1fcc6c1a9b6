-- Reliability and security (issue 7): least privilege beyond the grants of V1–V3. docs/RELIABILITY.md explains.

-- PostgreSQL before 15 lets every role create objects in schema public: the job's and Grafana's logins must not
-- (a compromised dashboard login could otherwise plant a table or a function that shadows a reporting view's).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- Nothing in the monitor's schema is meant for roles outside onestop_writer / onestop_reader.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;

-- Dead letters keep whole bad records for replay, and bad records may hold personal data: only the job (which
-- writes them) and operators with the migration login read them; dashboards see dead_letter_summary (counts only).
REVOKE ALL ON dead_letter FROM onestop_reader;

-- A late event can disprove an alert the job already wrote (a dossier that was not overdue after all); the job then
-- deletes that sla_alert row (sink/Rows.SlaAlerts). Without DELETE the sink would retry for SINK_RETRY_FOR and fail.
GRANT DELETE ON sla_alert TO onestop_writer;
