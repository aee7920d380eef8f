import type { EntityMonth } from "@/lib/entities";
import { formatInt, formatPeriod } from "@/lib/format";
import styles from "./MonthlyRanks.module.css";

const TOP = 10;

interface MonthlyRanksProps {
  months: EntityMonth[];
  /** What it ranks among: "tracks", "artists", "albums", "shows", "audiobooks". */
  among: string;
}

/** Its rank by plays among the user's items of its kind, month by month, newest first. */
export default function MonthlyRanks({ months, among }: MonthlyRanksProps) {
  const ranked = months.filter((month): month is EntityMonth & { rank: number } => month.rank !== null).reverse();
  const best = Math.min(...ranked.map((month) => month.rank));
  const bestMonths = ranked.filter((month) => month.rank === best);
  const inTop = ranked.filter((month) => month.rank <= TOP).length;
  return (
    <div data-testid="monthly-ranks">
      <dl className={styles.highlights}>
        <div>
          <dt>Best rank</dt>
          <dd data-testid="best-rank">
            #{formatInt(best)}
            <span className={styles.when}>
              {bestMonths.length === 1
                ? ` in ${formatPeriod(bestMonths[0].month, "month")}`
                : ` in ${formatInt(bestMonths.length)} months, last in ${formatPeriod(bestMonths[0].month, "month")}`}
            </span>
          </dd>
        </div>
        <div>
          <dt>In your top {TOP}</dt>
          <dd data-testid="months-in-top">
            {formatInt(inTop)}
            <span className={styles.when}> of {formatInt(ranked.length)} months played</span>
          </dd>
        </div>
      </dl>
      <div className={styles.scroller} tabIndex={0} role="region" aria-label={`Rank among your ${among}, month by month`}>
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" className={styles.number}>
                Plays
              </th>
              <th scope="col" className={styles.number}>
                Rank
              </th>
            </tr>
          </thead>
          <tbody>
            {ranked.map((month) => (
              <tr key={month.month} data-testid="rank-row" data-month={month.month}>
                <th scope="row">{formatPeriod(month.month, "month")}</th>
                <td className={styles.number}>{formatInt(month.plays)}</td>
                <td className={styles.number}>
                  <span className={month.rank <= TOP ? styles.top : undefined} data-testid="rank">
                    #{formatInt(month.rank)}
                  </span>
                  <span className={styles.of}> of {formatInt(month.ranked)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
