package vn.onestop.monitor.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's CPU figures rest on reading /proc right: fixed lines in the formats of proc(5) and jstack. */
class ProcCpuTest {
    @Test
    void statFieldsAreCountedFromTheLastParenthesisSoThreadNamesWithSpacesAndParenthesesDoNotShiftThem() {
        ProcCpu.Stat s = ProcCpu.parseStat("4321 (Source: x (1/2)) S 4300 4300 14043 0 -1 4194368 2510 0 0 0 "
                + "1234 56 78 9 20 0 1 0 323341 3133440 389 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0");
        assertThat(s.comm()).isEqualTo("Source: x (1/2)");
        assertThat(s.ppid()).isEqualTo(4300);
        assertThat(s.utime()).isEqualTo(1234);
        assertThat(s.stime()).isEqualTo(56);
        assertThat(s.own()).isEqualTo(1290);
        assertThat(s.withReapedChildren()).as("a postmaster's exited backends are in cutime and cstime").isEqualTo(1290 + 78 + 9);
    }

    @Test
    void coresAreBusyForAllButIdleAndIoWaitAndGuestTimeIsNotCountedTwice() {
        ProcCpu.CoreTicks before = ProcCpu.parseCores("cpu  100 0 50 800 50 0 0 0 40 0\ncpu0 50 0 25 400 25 0 0 0 20 0\nintr 1 2\n");
        ProcCpu.CoreTicks after = ProcCpu.parseCores("cpu  400 10 100 1400 80 5 5 0 90 0\ncpu0 200 5 50 700 40 2 3 0 45 0\n");
        assertThat(before.busy()).isEqualTo(150);
        assertThat(before.total()).as("user nice system idle iowait irq softirq steal; guest is inside user").isEqualTo(1000);
        // 370 busy ticks (300 user, 10 nice, 50 system, 5 irq, 5 softirq) of 1,000 elapsed (600 idle, 30 iowait).
        assertThat(after.busyShareSince(before)).isEqualTo(0.37);
    }

    @Test
    void threadNamesComeFromTheDumpsNativeIdsInHexOrDecimal() {
        String dump = """
                2026-11-29 22:40:01
                Full thread dump OpenJDK 64-Bit Server VM (17.0.12+7 mixed mode, sharing):

                "main" #1 prio=5 os_prio=0 cpu=1200.50ms elapsed=30.20s tid=0x00007f1c3c02a000 nid=0x4d2 runnable  [0x00007f1c42a2e000]
                   java.lang.Thread.State: RUNNABLE

                "data-plane-kafka-request-handler-0" #60 daemon prio=5 os_prio=0 cpu=5.00ms elapsed=29.00s tid=0x00007f1b nid=0x4e0 waiting on condition  [0x0]

                "classify dossiers (1/2)#0" #90 prio=5 os_prio=0 cpu=900.00ms elapsed=10.00s tid=0x00007f1a nid=4321 runnable  [0x0]

                "GC Thread#0" os_prio=0 cpu=300.00ms elapsed=30.10s tid=0x00007f1c3c0a nid=0x4d3 runnable
                """;
        assertThat(ProcCpu.threadNames(dump)).containsEntry(0x4d2, "main")
                .containsEntry(0x4e0, "data-plane-kafka-request-handler-0")
                .containsEntry(4321, "classify dossiers (1/2)#0")
                .containsEntry(0x4d3, "GC Thread#0")
                .hasSize(4);
    }

    @Test
    void threadsAreCountedForTheBrokerTheJobTheLoadGeneratorOrTheJvm() {
        assertThat(ProcCpu.part("data-plane-kafka-network-thread-1-ListenerName(PLAINTEXT)-PLAINTEXT-0")).isEqualTo(ProcCpu.Part.BROKER);
        assertThat(ProcCpu.part("quorum-controller-1-event-handler")).isEqualTo(ProcCpu.Part.BROKER);
        assertThat(ProcCpu.part("kafka-1-raft-io-thread")).isEqualTo(ProcCpu.Part.BROKER);
        assertThat(ProcCpu.part("kafka-producer-network-thread | bench-load-preload")).isEqualTo(ProcCpu.Part.LOAD);
        assertThat(ProcCpu.part("main")).isEqualTo(ProcCpu.Part.LOAD);
        assertThat(ProcCpu.part("kafka-producer-network-thread | producer-sla-alerts-0"))
                .as("the job's alert sink is a Kafka client of the job, not the broker").isEqualTo(ProcCpu.Part.JOB);
        assertThat(ProcCpu.part("Source Data Fetcher for Source: dossier-events (1/2)#0")).isEqualTo(ProcCpu.Part.JOB);
        assertThat(ProcCpu.part("classify dossiers (2/2)#0")).isEqualTo(ProcCpu.Part.JOB);
        assertThat(ProcCpu.part("C2 CompilerThread0")).isEqualTo(ProcCpu.Part.JVM);
        assertThat(ProcCpu.part("GC Thread#1")).isEqualTo(ProcCpu.Part.JVM);
    }
}
