/**
 * The national 100-point index of Decision 766/QĐ-TTg, computed the national way from additive counts.
 *
 * <p>Plain Java, no Flink types: a later change feeds {@link vn.onestop.monitor.index.UnitPeriodCounts} (and, for
 * the catalogue-based indicators, {@link vn.onestop.monitor.index.ProcedureCoverage}) from the pipeline or a SQL
 * view, and {@link vn.onestop.monitor.index.NationalIndex} turns them into one {@link
 * vn.onestop.monitor.index.IndicatorScore} per indicator. The rules cite the public repository
 * {@code ChippedTopaz/qd766}, which transcribes the national formula document and fits formulas to the portal's
 * published scores; docs/INDEX766.md restates every rule and says where the sources disagree.
 */
package vn.onestop.monitor.index;
