package vn.onestop.monitor.index;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts {@link ProcedureCoverage} for one unit with its whole subtree and one period, from the per-unit procedure
 * catalogue (which procedures each unit is competent for and whether it applies an online service for them) and the
 * subtree's dossiers. The rules, each from {@code web/dist/formula-document.js} in ChippedTopaz/qd766 unless marked
 * "ours":
 *
 * <ul>
 *   <li>3.1: a procedure counts once however many units list it, and once whether it is offered as partial or full
 *       online service ("Trường hợp 01 TTHC được cung cấp cả DVCTT một phần và toàn trình thì tính cho mức DVCTT cao
 *       nhất"); offered online = some unit of the subtree applies an online service for it.
 *   <li>3.2: an online service is a procedure at the unit that applies it ("Tính theo đơn vị áp dụng DVC (đơn vị xử
 *       lý)"), so two communes offering the same procedure online are two services; used = a dossier of that
 *       procedure received online by that unit in the period ("Tử: số dvc có hồ sơ tiếp nhận trực tuyến", "Xét các hồ
 *       sơ đồng bộ có Ngày tiếp nhận trong kỳ").
 *   <li>3.5: fee procedures are the catalogue's procedures with a fee, whatever the period ("Y luôn lấy theo giá trị
 *       hiện tại trong CSDL TTHC"); a fee procedure counts for 3.5.1 when a dossier of it received in the period was
 *       paid online, for 3.5.2 when a dossier of it received in the period reached the portal with a non-zero fee
 *       ("Tổng số TTHC có hồ sơ có đồng bộ dữ liệu phí, lệ phí trên Cổng (Phí, lệ phí khác 0, null)"; "Xét hồ sơ có
 *       Ngày tiếp nhận trong kỳ"). Reading fee data as "synchronised dossier with a payment above 0" is ours: the
 *       event contract carries payments and the synchronisation flag, not the fee lines themselves.
 *   <li>4.5.2: citizen procedures are the catalogue's procedures whose applicants are citizens ("có trường đối tượng
 *       thực hiện là Công dân Việt Nam …"); one counts when a dossier of it used VNeID or population data ("Số TTHC có
 *       hồ sơ đồng bộ có taikhoanduocxacthucvoiVNeID …"). The document gives no period for this numerator; we take
 *       4.5.1's population, the dossiers handled in the period (ours), so a procedure counted by 4.5.1 counts here.
 *   <li>Numerators only count procedures (and services) of the subtree's catalogue, so a dossier of a procedure the
 *       catalogue does not list for the subtree counts nowhere here (ours: the portal's numerators are procedures
 *       of its own database).
 * </ul>
 */
public final class CatalogueCoverage {

    private CatalogueCoverage() {
    }

    /** Whether a unit applies an online public service (DVCTT) for a procedure it is competent for. */
    public enum OnlineService {
        /** Not offered online: the procedure is only done at the counter or by post. */
        NONE,
        /** DVCTT một phần: part of the procedure online. */
        PARTIAL,
        /** DVCTT toàn trình: the whole procedure online (only for procedures eligible for it). */
        FULL
    }

    /**
     * One row of the per-unit catalogue, with the procedure's flags from the procedure catalogue.
     *
     * @param hasFee           the procedure has a non-zero fee in the procedure catalogue
     * @param citizenApplicant the procedure's applicants include citizens ("đối tượng thực hiện")
     */
    public record Entry(String unitCode, String procedureCode, OnlineService onlineService, boolean hasFee,
                        boolean citizenApplicant) {
        public Entry {
            Objects.requireNonNull(unitCode);
            Objects.requireNonNull(procedureCode);
            Objects.requireNonNull(onlineService);
        }
    }

    /**
     * What one dossier of the subtree did, as known at the period's end.
     *
     * @param receivedInPeriod its receipt date is in the period
     * @param handled          in 2.1's handled population of the period ({@link ProgressJudgement})
     * @param online           received through the online channel
     * @param syncedToPortal   synchronised to the national portal
     * @param paymentAmount    the sum of its payments in đồng (0 without payment)
     * @param paidOnline       a payment above 0 went through the national portal or a local gateway
     * @param populationData   VNeID-authenticated or with data from the population database
     */
    public record Dossier(String unitCode, String procedureCode, boolean receivedInPeriod, boolean handled,
                          boolean online, boolean syncedToPortal, long paymentAmount, boolean paidOnline,
                          boolean populationData) {
        public Dossier {
            Objects.requireNonNull(unitCode);
            Objects.requireNonNull(procedureCode);
        }

        /** 3.5.2: the dossier reached the portal carrying a fee that is not zero. */
        boolean feeDataSynced() {
            return syncedToPortal && paymentAmount > 0;
        }
    }

    /**
     * The coverage of a subtree, or {@code null} when the catalogue has no row for it: the catalogue indicators are
     * then left out (not scored 0), as {@link NationalIndex#score} does with a {@code null} coverage.
     *
     * @param catalogue the catalogue rows of every unit of the subtree
     * @param dossiers  the dossiers of every unit of the subtree that were received or handled in the period
     */
    public static ProcedureCoverage count(Collection<Entry> catalogue, Collection<Dossier> dossiers) {
        if (catalogue.isEmpty()) {
            return null;
        }
        Set<String> procedures = new HashSet<>();
        Set<String> offeredOnline = new HashSet<>();
        Set<String> fee = new HashSet<>();
        Set<String> citizen = new HashSet<>();
        Set<String> services = new HashSet<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (Entry e : catalogue) {
            String key = e.unitCode() + "\u0000" + e.procedureCode();
            if (seen.put(key, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("the catalogue lists procedure " + e.procedureCode() + " twice for unit "
                        + e.unitCode());
            }
            procedures.add(e.procedureCode());
            if (e.onlineService() != OnlineService.NONE) {
                offeredOnline.add(e.procedureCode());
                services.add(key);
            }
            if (e.hasFee()) {
                fee.add(e.procedureCode());
            }
            if (e.citizenApplicant()) {
                citizen.add(e.procedureCode());
            }
        }
        Set<String> servicesUsed = new HashSet<>();
        Set<String> paidOnline = new HashSet<>();
        Set<String> withFeeData = new HashSet<>();
        Set<String> populationData = new HashSet<>();
        for (Dossier d : dossiers) {
            String service = d.unitCode() + "\u0000" + d.procedureCode();
            if (d.receivedInPeriod() && d.online() && services.contains(service)) {
                servicesUsed.add(service);
            }
            if (d.receivedInPeriod() && d.paidOnline() && fee.contains(d.procedureCode())) {
                paidOnline.add(d.procedureCode());
            }
            if (d.receivedInPeriod() && d.feeDataSynced() && fee.contains(d.procedureCode())) {
                withFeeData.add(d.procedureCode());
            }
            if (d.handled() && d.populationData() && citizen.contains(d.procedureCode())) {
                populationData.add(d.procedureCode());
            }
        }
        return new ProcedureCoverage(procedures.size(), offeredOnline.size(), services.size(), servicesUsed.size(),
                fee.size(), paidOnline.size(), withFeeData.size(), citizen.size(), populationData.size());
    }
}
