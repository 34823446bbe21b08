/**
 * Ranks 1..n of `values`, ties sharing their average rank (the "fractional ranking" of Spearman's rho
 * and the Mann–Whitney U statistic). NaN values are not allowed (callers filter them).
 *
 * @example
 * averageRanks([10, 20, 20, 30]); // => [1, 2.5, 2.5, 4]
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = rank;
    i = j + 1;
  }
  return ranks;
}
