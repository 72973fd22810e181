import { badInput } from '../shared/errors.js';

/** Lowest zxcvbn score accepted: 2 ("somewhat guessable": ~10^8 guesses), with sign-in throttled and scrypt. */
const MIN_SCORE = 2;
const MIN_LENGTH = 8;
const MAX_LENGTH = 256;

const WARNINGS: Record<string, string> = {
  topTen: 'it is one of the ten most common passwords',
  topHundred: 'it is one of the hundred most common passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is very similar to a commonly used password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'a name on its own is easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it contains your name, email or workspace name',
  straightRow: 'a row of keys is easy to guess',
  keyPattern: 'short keyboard patterns are easy to guess',
  simpleRepeat: 'repeated characters like "aaa" are easy to guess',
  extendedRepeat: 'repeated patterns like "abcabc" are easy to guess',
  sequences: 'sequences like "abc" or "6543" are easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
  pwned: 'it appears in leaked password lists',
};

type Estimator = { check(password: string, userInputs?: string[]): { score: number; feedback: { warning: string | null } } };
let estimator: Promise<Estimator> | undefined;

/** zxcvbn-ts with its common-password and name dictionaries, loaded on first use (~100 ms). */
function loadEstimator(): Promise<Estimator> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]);
    // past 64 characters the estimate only costs time (it grows quadratically with length)
    return new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs, maxLength: 64 });
  })();
  return estimator;
}

/**
 * Refuses trivial and common passwords: shorter than 8 characters, longer than 256, all
 * whitespace, or estimated easy to guess by zxcvbn-ts (common-password lists, names, keyboard
 * patterns, repeats, dates, and the person's own name, email and workspace). BAD_USER_INPUT
 * naming `field`, with the reason.
 */
export async function checkPasswordPolicy(password: string, { field = 'password', userInputs = [] as string[] } = {}): Promise<string> {
  if (password.length < MIN_LENGTH) throw badInput(`Password must be at least ${MIN_LENGTH} characters`, field);
  if (password.length > MAX_LENGTH) throw badInput(`Password must be at most ${MAX_LENGTH} characters`, field);
  if (!password.trim()) throw badInput('Password must not be only spaces', field);
  // the whole value, an email's local part, its words, and its words run together
  const inputs = userInputs
    .flatMap((s) => {
      const lower = s.toLowerCase();
      const words = lower.split(/[^a-z0-9]+/).filter(Boolean);
      return [lower, lower.split('@')[0]!, ...words, words.join('')];
    })
    .filter((s) => s.length >= 3);
  const { score, feedback } = (await loadEstimator()).check(password, inputs);
  if (score < MIN_SCORE) {
    const why = (feedback.warning && WARNINGS[feedback.warning]) || 'it is too easy to guess';
    throw badInput(`Password is too easy to guess: ${why}. A few unrelated words make a strong one.`, field);
  }
  return password;
}

/** Starts loading the dictionaries in the background, so the first sign-up does not wait. */
export function preloadPasswordPolicy(): void {
  // eslint-disable-next-line no-restricted-syntax -- a preload only: the first sign-up loads again and reports a failure to its caller
  void loadEstimator().catch(() => {});
}
