import { strictTagContent } from '../profiles/strict-rules.js';
import type { RewardProfile } from '../types.js';
import { lastTagContent } from './tags.js';

/** The completion's answer text under `profile` (reference: last `<answer>` block, stripped), or `null`. */
export function extractAnswer(completion: string, profile: RewardProfile): string | null {
  return profile === 'strict'
    ? strictTagContent(completion, '<answer>', '</answer>')
    : lastTagContent(completion, '<answer>', '</answer>');
}

/** The completion's correction text under `profile` (reference: last `<correction>` block, stripped), or `null`. */
export function extractCorrection(completion: string, profile: RewardProfile): string | null {
  return profile === 'strict'
    ? strictTagContent(completion, '<correction>', '</correction>')
    : lastTagContent(completion, '<correction>', '</correction>');
}
