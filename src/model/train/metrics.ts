/**
 * ROC AUC: the probability that a random positive scores above a random negative (ties count
 * one half), from the ranks of the scores (Mann–Whitney U). Null when either class is empty.
 * @module
 */
export function rocAuc(pos: ArrayLike<number>, neg: ArrayLike<number>): number | null {
  const np = pos.length;
  const nn = neg.length;
  if (np === 0 || nn === 0) return null;
  const all = new Float64Array(np + nn);
  const isPos = new Uint8Array(np + nn);
  for (let i = 0; i < np; i++) {
    all[i] = pos[i];
    isPos[i] = 1;
  }
  for (let i = 0; i < nn; i++) all[np + i] = neg[i];
  const order = Array.from(all.keys()).sort((a, b) => all[a] - all[b]);
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && all[order[j + 1]] === all[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (isPos[order[k]]) rankSum += rank;
    i = j + 1;
  }
  return (rankSum - (np * (np + 1)) / 2) / (np * nn);
}
