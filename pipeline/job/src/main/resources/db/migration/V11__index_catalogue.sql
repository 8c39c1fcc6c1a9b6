-- The catalogue indicators of the national index (issue 16 item 2): 3.1, 3.2, 3.5.1, 3.5.2, 4.5.2 (12 points), from
-- the per-unit procedure catalogue (unit_procedures.csv) and the dossiers. docs/INDEX766.md is the reference for
-- every rule below; index/CatalogueCoverage implements the same counts and index/OnlineServices, OnlinePayment and
-- Digitisation the same curves. unit_index_766 and unit_index_766_total keep exactly their V9 columns.

-- 4.5.2's denominator: the procedure's applicants include citizens ("đối tượng thực hiện"). NULL = not said (a
-- procedures file without the column, or an unknown code), read as "no" like the V9 flags.
ALTER TABLE procedure ADD COLUMN citizen_applicant boolean;

-- Which procedures each unit is competent for, and whether it applies an online service (DVCTT) for them. Current
-- values, applied to every period: the portal takes its procedure counts from the procedure database as it is now
-- ("Y luôn lấy theo giá trị hiện tại trong CSDL TTHC", formula document 3.5). Loaded by reference.ReferenceData,
-- which checks units, procedures and FULL against full_online_eligible before anything is written.
CREATE TABLE unit_procedure (
    unit_code       text NOT NULL,
    procedure_code  text NOT NULL,
    online_service  text NOT NULL CHECK (online_service IN ('NONE', 'PARTIAL', 'FULL')),
    PRIMARY KEY (unit_code, procedure_code)
);

-- ProcedureCoverage per unit (with its whole subtree) and period, for units whose subtree has a catalogue. Distinct
-- procedures, not sums: a procedure listed by several communes counts once for their district.
--   3.1  procedures / procedures offered online (PARTIAL or FULL by some unit of the subtree)
--   3.2  online services = (unit, procedure) pairs offered online; used = that unit received a dossier of that
--        procedure online in the period
--   3.5  fee procedures (procedure.has_fee); paid online = a dossier of it received in the period was paid online;
--        with fee data = a dossier of it received in the period was synchronised with payments above 0
--   4.5.2 citizen procedures (procedure.citizen_applicant); with population data = a dossier of it handled in the
--        period used VNeID or population data (4.5.1's population)
-- A dossier counts for a procedure only if the subtree's catalogue lists it (numerators within their wholes).
CREATE VIEW unit_index_766_coverage AS
WITH catalogue AS (
    SELECT c.ancestor_code, up.unit_code, up.procedure_code, up.online_service <> 'NONE' AS offered_online,
           coalesce(pr.has_fee, false) AS has_fee, coalesce(pr.citizen_applicant, false) AS citizen
    FROM unit_procedure up
    JOIN unit_closure c ON c.unit_code = up.unit_code
    LEFT JOIN procedure pr ON pr.code = up.procedure_code
), used_here AS (
    -- per period, receiving unit and procedure: what its dossiers did in the period (grouped before the subtree
    -- expansion below, which then joins a few hundred rows instead of every dossier once per ancestor)
    SELECT x.period_type, x.period, d.unit_code, d.procedure_code,
           bool_or(x.received_in_period AND d.channel = 'ONLINE') AS received_online,
           bool_or(x.received_in_period AND coalesce(d.paid_online, false)) AS paid_online,
           bool_or(x.received_in_period AND coalesce(d.synced_to_portal, false) AND coalesce(d.payment_amount, 0) > 0) AS fee_data,
           bool_or(x.handled_population_data) AS population_data
    FROM dossier_index_766 x
    JOIN dossier d ON d.dossier_id = x.dossier_id
    GROUP BY x.period_type, x.period, d.unit_code, d.procedure_code
), used AS (
    SELECT c.ancestor_code, u.*
    FROM used_here u
    JOIN unit_closure c ON c.unit_code = u.unit_code
), used_procedure AS (
    SELECT ancestor_code, period_type, period, procedure_code, bool_or(paid_online) AS paid_online,
           bool_or(fee_data) AS fee_data, bool_or(population_data) AS population_data
    FROM used
    GROUP BY ancestor_code, period_type, period, procedure_code
), procedures AS (
    SELECT cat.ancestor_code, p.period_type, p.period, cat.procedure_code, bool_or(cat.offered_online) AS offered_online,
           bool_or(cat.has_fee) AS has_fee, bool_or(cat.citizen) AS citizen
    FROM catalogue cat
    CROSS JOIN index_766_period p
    GROUP BY cat.ancestor_code, p.period_type, p.period, cat.procedure_code
), procedure_counts AS (
    SELECT pr.ancestor_code, pr.period_type, pr.period,
           count(*) AS procedures,
           count(*) FILTER (WHERE pr.offered_online) AS procedures_offering_online,
           count(*) FILTER (WHERE pr.has_fee) AS fee_procedures,
           count(*) FILTER (WHERE pr.has_fee AND u.paid_online) AS fee_procedures_paid_online,
           count(*) FILTER (WHERE pr.has_fee AND u.fee_data) AS fee_procedures_with_fee_data,
           count(*) FILTER (WHERE pr.citizen) AS citizen_procedures,
           count(*) FILTER (WHERE pr.citizen AND u.population_data) AS citizen_procedures_population_data
    FROM procedures pr
    LEFT JOIN used_procedure u ON u.ancestor_code = pr.ancestor_code AND u.period_type = pr.period_type
                              AND u.period = pr.period AND u.procedure_code = pr.procedure_code
    GROUP BY pr.ancestor_code, pr.period_type, pr.period
), service_counts AS (
    SELECT cat.ancestor_code, p.period_type, p.period, count(*) AS online_services,
           count(*) FILTER (WHERE u.received_online) AS online_services_used
    FROM catalogue cat
    CROSS JOIN index_766_period p
    LEFT JOIN used u ON u.ancestor_code = cat.ancestor_code AND u.period_type = p.period_type AND u.period = p.period
                    AND u.unit_code = cat.unit_code AND u.procedure_code = cat.procedure_code
    WHERE cat.offered_online
    GROUP BY cat.ancestor_code, p.period_type, p.period
)
SELECT pc.ancestor_code AS unit_code, pc.period_type, pc.period, pc.procedures, pc.procedures_offering_online,
       coalesce(sc.online_services, 0) AS online_services, coalesce(sc.online_services_used, 0) AS online_services_used,
       pc.fee_procedures, pc.fee_procedures_paid_online, pc.fee_procedures_with_fee_data,
       pc.citizen_procedures, pc.citizen_procedures_population_data
FROM procedure_counts pc
LEFT JOIN service_counts sc ON sc.ancestor_code = pc.ancestor_code AND sc.period_type = pc.period_type AND sc.period = pc.period;

-- The count-based indicators (62 points, as V9) and, for a unit whose subtree has a catalogue, the catalogue
-- indicators (12 points: 74 in all). Same columns, rounding and curves as V9: value = part / whole to 4 decimals;
-- points = min(max, max × part / (whole × full_at)) rounded half up to 2 decimals; a zero whole gives no value and
-- 0 points. A unit without a catalogue has no rows for 3.1, 3.2, 3.5.1, 3.5.2, 4.5.2 (left out, not 0), like
-- index/NationalIndex with a null coverage. Rows exist for the units and periods of unit_index_766_counts, as in V9.
CREATE OR REPLACE VIEW unit_index_766 AS
SELECT c.unit_code, c.period_type, c.period, i.indicator,
       CASE WHEN i.whole = 0 THEN NULL ELSE round(i.part / i.whole, 4) END AS value,
       CASE WHEN i.whole = 0 THEN 0.00
            ELSE least(i.max_points, round(i.max_points * i.part / (i.whole * i.full_at), 2)) END::numeric(6, 2) AS points,
       i.max_points::numeric(6, 2) AS max_points
FROM unit_index_766_counts c
LEFT JOIN unit_index_766_coverage g ON g.unit_code = c.unit_code AND g.period_type = c.period_type AND g.period = c.period
CROSS JOIN LATERAL (VALUES
    ('1.4',   6.00, 1.0, c.received_synced::numeric, c.received::numeric, false),
    ('2.1',  20.00, 1.0, c.handled_in_time::numeric, c.handled::numeric, false),
    -- 3.3: the online share times the 1.4 rate, as one exact fraction
    ('3.3',   6.00, 0.5, c.received_online::numeric * c.received_synced, c.received::numeric * c.received, false),
    ('3.6',   6.00, 1.0, c.fee_dossiers_paid_online::numeric, c.fee_dossiers::numeric, false),
    ('4.1',   6.00, 1.0, c.handled_electronic_result::numeric, c.handled::numeric, false),
    ('4.2',   4.00, 1.0, c.handled_digitised::numeric, c.handled::numeric, false),
    ('4.3',   2.00, 0.8, c.handled_reusing_data::numeric, c.handled::numeric, false),
    ('4.4',   4.00, 1.0, c.handled_from_personal_store::numeric, c.handled::numeric, false),
    ('4.5.1', 2.00, 1.0, c.handled_population_data::numeric, c.handled::numeric, false),
    -- 5.4: in time and not dissatisfied, each dossier once
    ('5.4',   6.00, 0.9, (c.handled_in_time - c.handled_in_time_dissatisfied)::numeric, c.handled::numeric, false),
    -- the catalogue indicators (3.1 and 3.2 provisional: docs/INDEX766.md "group 3")
    ('3.1',   2.00, 0.8, g.procedures_offering_online::numeric, g.procedures::numeric, true),
    ('3.2',   4.00, 1.0, g.online_services_used::numeric, g.online_services::numeric, true),
    ('3.5.1', 2.00, 0.8, g.fee_procedures_paid_online::numeric, g.fee_procedures::numeric, true),
    ('3.5.2', 2.00, 0.8, g.fee_procedures_with_fee_data::numeric, g.fee_procedures::numeric, true),
    ('4.5.2', 2.00, 1.0, g.citizen_procedures_population_data::numeric, g.citizen_procedures::numeric, true)
) AS i(indicator, max_points, full_at, part, whole, from_catalogue)
WHERE NOT i.from_catalogue OR g.unit_code IS NOT NULL;

-- The sum of the rounded points with its maximum: 74 for a unit with a catalogue, 62 without (as V9 otherwise).
CREATE OR REPLACE VIEW unit_index_766_total AS
SELECT unit_code, period_type, period, sum(points)::numeric(6, 2) AS points, sum(max_points)::numeric(6, 2) AS max_points
FROM unit_index_766
GROUP BY unit_code, period_type, period;

-- The catalogue names no person; the reader sees the counts through the view only, like the other index views.
GRANT SELECT ON unit_index_766_coverage TO onestop_reader;
