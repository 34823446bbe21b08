// The playground's shareable state: `?completion=…&target=<JSON>&profile=ra-rft|strict`.
import { type RaRftTarget, type RewardProfile, raRftTargetSchema } from '../index.js';

/** The state a link carries. */
export interface UrlState {
  completion: string;
  target: RaRftTarget;
  profile: RewardProfile;
}

/** What reading a query string gives: the fields present and valid, and a message for each one that is not. */
export interface ReadUrlState {
  state: Partial<UrlState>;
  errors: string[];
}

/**
 * Reads `completion`, `target` (JSON, checked with `raRftTargetSchema`) and `profile` from a query string.
 * Missing fields are left out; malformed ones are reported in `errors` (never thrown).
 *
 * @example
 * readUrlState('?completion=%3Canswer%3E1%20to%202%3C%2Fanswer%3E&profile=strict').state; // => { completion: '<answer>1 to 2</answer>', profile: 'strict' }
 */
export function readUrlState(search: string): ReadUrlState {
  const params = new URLSearchParams(search);
  const state: Partial<UrlState> = {};
  const errors: string[] = [];
  const completion = params.get('completion');
  if (completion !== null) state.completion = completion;
  const profile = params.get('profile');
  if (profile === 'ra-rft' || profile === 'strict') state.profile = profile;
  else if (profile !== null) errors.push(`profile: must be ra-rft or strict, got '${profile}'`);
  const target = params.get('target');
  if (target !== null) {
    try {
      const parsed = raRftTargetSchema.safeParse(JSON.parse(target));
      if (parsed.success) state.target = parsed.data as RaRftTarget;
      else errors.push(`target: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`);
    } catch (error) {
      errors.push(`target: invalid JSON (${(error as Error).message})`);
    }
  }
  return { state, errors };
}

/**
 * The query string (with `?`) that {@link readUrlState} reads back to `state`.
 *
 * @example
 * writeUrlState({ completion: 'x', target: { relevant: false }, profile: 'ra-rft' }); // => '?completion=x&target=%7B%22relevant%22%3Afalse%7D&profile=ra-rft'
 */
export function writeUrlState(state: UrlState): string {
  const params = new URLSearchParams();
  params.set('completion', state.completion);
  params.set('target', JSON.stringify(state.target));
  params.set('profile', state.profile);
  return `?${params.toString()}`;
}
