/**
 * The eleven video–text mismatch categories of HI-VTG (RA-RFT's taxonomy), as `Group/Name` paths.
 * Source: JINSUBY/RA-RFT src/llm_eval/llm_evaluator.py `VTG_VALID_PATHS` (commit 8843cbb).
 */
export const VTG_MISMATCH_CATEGORIES: readonly string[] = Object.freeze([
  'Action/ActionSequence',
  'Action/FineGrainedAction',
  'Object/ObjectExistence',
  'Object/ObjectPartRelation',
  'Object/ObjectSpatialRelation',
  'Object/ObjectMoving',
  'Scene/SceneTransition',
  'Scene/SceneExistence',
  'Attribute/AttributeValue',
  'Attribute/Counting',
  'Attribute/Comparison',
]);

/**
 * Jaccard index of two label sets, |A ∩ B| / |A ∪ B|, 1 when both are empty (as the RA-RFT evaluator's
 * RT-IoU counts an item with no category on either side).
 *
 * @example
 * categoryJaccard(['Object/ObjectExistence', 'Attribute/Counting'], ['Object/ObjectExistence']); // => 0.5
 * categoryJaccard([], []); // => 1
 */
export function categoryJaccard(predicted: readonly string[], truth: readonly string[]): number {
  const a = new Set(predicted);
  const b = new Set(truth);
  let both = 0;
  for (const label of a) if (b.has(label)) both++;
  const union = a.size + b.size - both;
  return union === 0 ? 1 : both / union;
}
