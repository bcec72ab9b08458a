/**
 * CNIL deliberation 2022-100, with login throttling: at least 12 characters of at least
 * 3 kinds among lower case, upper case, digits and symbols; or a passphrase of at least
 * 20 characters made of at least 4 words.
 */
export const MIN_LENGTH = 12
export const MIN_KINDS = 3
export const PASSPHRASE_MIN_LENGTH = 20
export const PASSPHRASE_MIN_WORDS = 4
export const MAX_LENGTH = 128

export const PASSWORD_RULE_TEXT =
  'Au moins 12 caractères avec au moins 3 types parmi : minuscules, majuscules, chiffres et symboles (par exemple « Jardin-Soleil-42 ») ; ou bien une phrase de passe d’au moins 20 caractères composée d’au moins 4 mots (par exemple « le chat dort sur le canapé »).'

export function characterKinds(password: string) {
  return {
    lower: /\p{Ll}/u.test(password),
    upper: /\p{Lu}/u.test(password),
    digit: /\p{Nd}/u.test(password),
    symbol: /[^\p{L}\p{Nd}]/u.test(password),
  }
}

export function countWords(password: string): number {
  return password.split(/[^\p{L}\p{Nd}]+/u).filter((word) => word.length >= 2).length
}

export type PasswordCheck = { ok: true } | { ok: false; message: string }

export function checkPassword(password: string, personal: { username?: string | null; email?: string | null } = {}): PasswordCheck {
  const length = [...password].length
  if (length > MAX_LENGTH) {
    return { ok: false, message: `Le mot de passe doit contenir au plus ${MAX_LENGTH} caractères.` }
  }
  const lowered = password.toLowerCase()
  for (const value of [personal.username, personal.email?.split('@')[0]]) {
    if (value && value.length >= 4 && lowered.includes(value.toLowerCase())) {
      return { ok: false, message: 'Le mot de passe ne doit pas contenir votre nom d’utilisateur ni votre adresse électronique.' }
    }
  }
  const kinds = Object.values(characterKinds(password)).filter(Boolean).length
  if (length >= MIN_LENGTH && kinds >= MIN_KINDS) return { ok: true }
  if (length >= PASSPHRASE_MIN_LENGTH && countWords(password) >= PASSPHRASE_MIN_WORDS) return { ok: true }
  if (length < MIN_LENGTH) {
    return {
      ok: false,
      message: `Le mot de passe est trop court (${length} caractère${length > 1 ? 's' : ''}) : il en faut au moins 12 avec 3 types de caractères, ou une phrase de passe de 20 caractères et 4 mots.`,
    }
  }
  return {
    ok: false,
    message: `Le mot de passe ne mélange que ${kinds} type${kinds > 1 ? 's' : ''} de caractères : ajoutez-en d’autres (minuscules, majuscules, chiffres, symboles) ou choisissez une phrase de passe d’au moins 20 caractères et 4 mots.`,
  }
}
