import { OptionsError } from '../errors.js';
import type { RaRftPart, RaRftRewardResult } from '../profiles/ra-rft-reward.js';

/**
 * What OpenRLHF's `scores` carries (it filters groups on them, by default keeping a group whose mean score lies
 * in (0, 1)): `normalized`, the weighted total mapped onto [0, 1]; or one part mapped onto [0, 1].
 */
export type UnitScoreSource = 'normalized' | RaRftPart | 'explainAndCorrection';

export const UNIT_SCORE_SOURCES: readonly UnitScoreSource[] = ['normalized', 'format', 'refuseIoU', 'explain', 'correction', 'explainAndCorrection'];

/** The nominal range of each part (REWARDS.md): explain is a difference of two similarities in [0, 1]. */
const PART_RANGE: Record<RaRftPart, readonly [number, number]> = { format: [0, 1], refuseIoU: [0, 1], explain: [-1, 1], correction: [0, 1] };

/**
 * Maps a reward onto [0, 1]: `clamp((value − lo) / (hi − lo), 0, 1)` where [lo, hi] is the nominal range of the
 * chosen source. For `normalized` it is the range of `Σ wₚ · partₚ`: lo = Σ min(wₚ·loₚ, wₚ·hiₚ), hi = Σ max(…),
 * so with the default weights lo = −1, hi = 4. ra-rft's refuseIoU can dip below 0 for spans past the video's
 * ends; the clamp keeps those at 0. Returns a function of one result.
 */
export function unitScore(source: UnitScoreSource, weights: Partial<Record<RaRftPart, number>> | undefined): (result: RaRftRewardResult) => number {
  let lo: number;
  let hi: number;
  let pick: (result: RaRftRewardResult) => number;
  if (source === 'normalized') {
    lo = 0;
    hi = 0;
    for (const [part, [partLo, partHi]] of Object.entries(PART_RANGE) as [RaRftPart, readonly [number, number]][]) {
      const weight = weights?.[part] ?? 1;
      lo += Math.min(weight * partLo, weight * partHi);
      hi += Math.max(weight * partLo, weight * partHi);
    }
    pick = (result) => result.total;
  } else if (source === 'explainAndCorrection') {
    [lo, hi] = [-1, 2];
    pick = (result) => result.explainAndCorrection;
  } else if (source in PART_RANGE) {
    [lo, hi] = PART_RANGE[source];
    pick = (result) => result[source];
  } else {
    throw new OptionsError('unitScore', 'source', `must be one of ${UNIT_SCORE_SOURCES.join(', ')}, got ${JSON.stringify(source)}`);
  }
  const span = hi - lo;
  return (result) => (span <= 0 ? 0 : Math.min(1, Math.max(0, (pick(result) - lo) / span)));
}
