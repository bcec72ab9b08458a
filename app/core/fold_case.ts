/**
 * A text as compared when case must not matter, in every alphabet: « Été Ÿoga » and « ÉTÉ ÿOGA »
 * are one name (SQLite's lower() folds ASCII letters only, so the comparison is made here).
 */
export function foldCase(text: string): string {
  return text.normalize('NFC').trim().toLocaleUpperCase('fr').toLocaleLowerCase('fr')
}
