package vn.onestop.monitor.recount;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The control review recomputed from the raw NDJSON lines, written apart from the SQL and the job (no class of
 * either is used): each dossier's outcome as {@link Recount}'s rules give it, then java.time, exact fractions, and
 * the review's rules of docs/REVIEWS.md restated. One entry per unit and period: counts, points, total, rank,
 * previous rank, weakest.
 */
public final class IndependentReview {
    static final ZoneId HANOI = Recount.LOCAL;
    public static final String[] INDICATORS = {"progress", "online", "intake_digitisation", "result_digitisation", "satisfaction"};
    static final int[] MAX_POINTS = {20, 6, 4, 6, 6};

    public record Unit(String code, String name, String level, String parent) {}

    /** A unit's counts in one period; ancestors get the sum of their communes'. */
    public static final class Counts {
        public long received, online, digitised, resolved, inTime, late, resultsDigitised, ratings, dissatisfied, openAtEnd, openWithin;

        void add(Counts o) {
            received += o.received; online += o.online; digitised += o.digitised; resolved += o.resolved;
            inTime += o.inTime; late += o.late; resultsDigitised += o.resultsDigitised; ratings += o.ratings;
            dissatisfied += o.dissatisfied; openAtEnd += o.openAtEnd; openWithin += o.openWithin;
        }

        boolean any() {
            return received + resolved + ratings + openAtEnd > 0;
        }
    }

    /** "month|2024-03", "quarter|2024-Q1", "year|2024" with its first day and first day after. */
    public record Period(String type, String label, LocalDate start, LocalDate end) implements Comparable<Period> {
        Instant endsAt() {
            return end.atStartOfDay(HANOI).toInstant();
        }

        Period previous() {
            return of(type, start.minusDays(1));
        }

        static Period of(String type, LocalDate day) {
            return switch (type) {
                case "month" -> new Period(type, YearMonth.from(day).toString(), day.withDayOfMonth(1), day.withDayOfMonth(1).plusMonths(1));
                case "quarter" -> {
                    LocalDate s = LocalDate.of(day.getYear(), (day.getMonthValue() - 1) / 3 * 3 + 1, 1);
                    yield new Period(type, day.getYear() + "-Q" + ((day.getMonthValue() - 1) / 3 + 1), s, s.plusMonths(3));
                }
                case "year" -> new Period(type, Integer.toString(day.getYear()), LocalDate.of(day.getYear(), 1, 1), LocalDate.of(day.getYear() + 1, 1, 1));
                default -> throw new IllegalArgumentException(type);
            };
        }

        @Override
        public int compareTo(Period o) {
            return Comparator.comparing(Period::type).thenComparing(Period::start).compare(this, o);
        }
    }

    /** The expected row of unit_review. */
    public record Expected(Unit unit, Period period, Counts counts, BigDecimal[] points, BigDecimal total, Integer rank,
                    Integer previousRank, String weakest) {
        public Integer rankChange() {
            return previousRank == null || rank == null ? null : previousRank - rank;
        }
    }

    private final Recount recount = new Recount();
    private final Map<String, Unit> units;

    public IndependentReview(List<Unit> units) {
        this.units = new TreeMap<>();
        units.forEach(u -> this.units.put(u.code(), u));
    }

    public void dossierLine(byte[] line) throws IOException {
        recount.dossierLine(line);
    }

    public void feedbackLine(byte[] line) throws IOException {
        recount.feedbackLine(line);
    }

    /** Every unit in every period that has counts, keyed "code|type|label". */
    public Map<String, Expected> compute() {
        List<Recount.Dossier> dossiers = recount.dossiers();
        // Own counts per commune and month; the periods under review are those with any count.
        Map<String, Counts> monthly = new HashMap<>();
        Set<LocalDate> months = new TreeSet<>();
        for (Recount.Dossier d : dossiers) {
            LocalDate m = month(d.receivedAt());
            months.add(m);
            Counts c = monthly.computeIfAbsent(d.unit() + "|" + m, k -> new Counts());
            c.received++;
            c.online += d.online() ? 1 : 0;
            c.digitised += d.digitised() ? 1 : 0;
            if (d.ended()) {
                LocalDate e = month(d.closedAt());
                months.add(e);
                Counts ce = monthly.computeIfAbsent(d.unit() + "|" + e, k -> new Counts());
                ce.resolved++;
                // early or on time: the review counts them together
                ce.inTime += d.outcome() == Recount.Outcome.LATE ? 0 : 1;
                ce.late += d.outcome() == Recount.Outcome.LATE ? 1 : 0;
                ce.resultsDigitised += d.resultDigitised() ? 1 : 0;
            } else if (d.outcome() == Recount.Outcome.WITHDRAWN) {
                months.add(month(d.closedAt())); // a withdrawal is counted in its hour too
            }
        }
        for (Recount.Rating r : recount.ratings()) {
            LocalDate m = month(r.at());
            months.add(m);
            Counts c = monthly.computeIfAbsent(r.unit() + "|" + m, k -> new Counts());
            c.ratings++;
            c.dissatisfied += r.dissatisfied() ? 1 : 0;
        }
        Set<Period> periods = new TreeSet<>();
        for (LocalDate m : months) {
            for (String type : List.of("month", "quarter", "year")) {
                periods.add(Period.of(type, m));
            }
        }
        // Own counts per unit and period, then the open dossiers at each period's end.
        Map<String, Counts> own = new HashMap<>();
        monthly.forEach((key, c) -> {
            String unit = key.substring(0, key.indexOf('|'));
            LocalDate m = LocalDate.parse(key.substring(key.indexOf('|') + 1));
            for (String type : List.of("month", "quarter", "year")) {
                own.computeIfAbsent(unit + "|" + Period.of(type, m), k -> new Counts()).add(c);
            }
        });
        for (Period p : periods) {
            long end = micros(p.endsAt());
            for (Recount.Dossier d : dossiers) {
                boolean open = d.receivedAt() < end && d.closedAt() >= end; // closedAt is Long.MAX_VALUE while open
                if (open) {
                    Counts c = own.computeIfAbsent(d.unit() + "|" + p, k -> new Counts());
                    c.openAtEnd++;
                    c.openWithin += d.due() < end ? 0 : 1;
                }
            }
        }
        // Every unit: the sum over itself and everything below it.
        Map<String, Expected> out = new TreeMap<>();
        Map<Period, List<Expected>> byPeriod = new TreeMap<>();
        for (Period p : periods) {
            for (Unit u : units.values()) {
                Counts sum = new Counts();
                for (Unit below : units.values()) {
                    if (isWithin(below, u)) {
                        Counts c = own.get(below.code() + "|" + p);
                        if (c != null) {
                            sum.add(c);
                        }
                    }
                }
                BigDecimal[] pts = points(sum);
                BigDecimal total = BigDecimal.ZERO;
                for (BigDecimal v : pts) {
                    total = total.add(v);
                }
                boolean measured = sum.received + sum.resolved + sum.openAtEnd + sum.ratings > 0;
                Expected e = new Expected(u, p, sum, pts, total, null, null, measured ? weakest(pts) : null);
                byPeriod.computeIfAbsent(p, k -> new ArrayList<>()).add(e);
            }
        }
        // Rank within parent and level: higher total, then higher progress points, then the smaller code.
        Map<String, Integer> ranks = new HashMap<>();
        byPeriod.forEach((p, list) -> {
            Map<String, List<Expected>> groups = new HashMap<>();
            // docs/REVIEWS.md: a unit with nothing to measure (no dossier received, resolved or open at the end, no
            // rating) is listed but not ranked.
            list.stream().filter(e -> e.counts().received + e.counts().resolved + e.counts().openAtEnd + e.counts().ratings > 0)
                    .forEach(e -> groups.computeIfAbsent(e.unit().parent() + "|" + e.unit().level(), k -> new ArrayList<>()).add(e));
            for (List<Expected> g : groups.values()) {
                g.sort(Comparator.comparing(Expected::total).reversed()
                        .thenComparing((Expected e) -> e.points()[0], Comparator.reverseOrder())
                        .thenComparing(e -> e.unit().code()));
                for (int i = 0; i < g.size(); i++) {
                    ranks.put(g.get(i).unit().code() + "|" + p, i + 1);
                }
            }
        });
        byPeriod.forEach((p, list) -> {
            for (Expected e : list) {
                Integer rank = ranks.get(e.unit().code() + "|" + p);
                Integer previous = ranks.get(e.unit().code() + "|" + p.previous());
                out.put(e.unit().code() + "|" + p.type() + "|" + p.label(),
                        new Expected(e.unit(), p, e.counts(), e.points(), e.total(), rank, previous, e.weakest()));
            }
        });
        return out;
    }

    private boolean isWithin(Unit below, Unit ancestor) {
        Unit u = below;
        for (int depth = 0; u != null && depth < 20; depth++) {
            if (u.code().equals(ancestor.code())) {
                return true;
            }
            u = u.parent() == null ? null : units.get(u.parent());
        }
        return false;
    }

    /** The five indicators' points per issue 5; an indicator without volume scores 0. */
    static BigDecimal[] points(Counts c) {
        Fraction progress = Fraction.of(c.inTime + c.openWithin, c.resolved + c.openAtEnd);
        Fraction online = Fraction.of(c.online, c.received);
        Fraction intake = Fraction.of(c.digitised, c.received);
        Fraction result = Fraction.of(c.resultsDigitised, c.resolved);
        Fraction satisfaction = null;
        if (c.resolved > 0 || c.ratings > 0) {
            Fraction overdueRate = c.resolved > 0 ? Fraction.of(c.late, c.resolved) : Fraction.of(0, 1);
            Fraction dissatisfiedRate = c.ratings > 0 ? Fraction.of(c.dissatisfied, c.ratings) : Fraction.of(0, 1);
            satisfaction = Fraction.of(1, 1).minus(overdueRate.plus(dissatisfiedRate));
        }
        return new BigDecimal[] {
                progress == null ? zero() : progress.times(20).round2(),
                online == null ? zero() : online.times(6).dividedBy(Fraction.of(1, 2)).atMost(6).round2(),
                intake == null ? zero() : intake.times(4).dividedBy(Fraction.of(8, 10)).atMost(4).round2(),
                result == null ? zero() : result.times(6).round2(),
                satisfaction == null ? zero() : satisfaction.times(6).dividedBy(Fraction.of(9, 10)).atMost(6).atLeast(0).round2()};
    }

    static String weakest(BigDecimal[] points) {
        String worst = null;
        BigDecimal most = BigDecimal.ZERO;
        for (int i = 0; i < points.length; i++) {
            BigDecimal lost = BigDecimal.valueOf(MAX_POINTS[i]).subtract(points[i]);
            if (lost.compareTo(most) > 0) {
                most = lost;
                worst = INDICATORS[i];
            }
        }
        return worst;
    }

    private static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(2);
    }

    private static long micros(Instant t) {
        return java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static LocalDate month(long micros) {
        return Recount.instant(micros).atZone(HANOI).toLocalDate().withDayOfMonth(1);
    }

    /** An exact non-negative-denominator fraction, so rounding to two decimals happens once, on the true value. */
    record Fraction(BigInteger num, BigInteger den) {
        /** null when the denominator is zero: no volume. */
        static Fraction of(long num, long den) {
            return den == 0 ? null : new Fraction(BigInteger.valueOf(num), BigInteger.valueOf(den));
        }

        Fraction plus(Fraction o) {
            return new Fraction(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
        }

        Fraction minus(Fraction o) {
            return new Fraction(num.multiply(o.den).subtract(o.num.multiply(den)), den.multiply(o.den));
        }

        Fraction times(long k) {
            return new Fraction(num.multiply(BigInteger.valueOf(k)), den);
        }

        Fraction dividedBy(Fraction o) {
            return new Fraction(num.multiply(o.den), den.multiply(o.num));
        }

        Fraction atMost(long k) {
            return num.compareTo(den.multiply(BigInteger.valueOf(k))) > 0 ? new Fraction(BigInteger.valueOf(k), BigInteger.ONE) : this;
        }

        Fraction atLeast(long k) {
            return num.compareTo(den.multiply(BigInteger.valueOf(k))) < 0 ? new Fraction(BigInteger.valueOf(k), BigInteger.ONE) : this;
        }

        BigDecimal round2() {
            return new BigDecimal(num).divide(new BigDecimal(den), 2, RoundingMode.HALF_UP);
        }
    }
}
