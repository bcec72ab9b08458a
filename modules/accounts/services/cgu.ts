/** The terms of use parents accept at activation. Change the version when the text changes. */
export const CGU_VERSION = '2026-01'
export const CGU_TITLE = "Conditions générales d'utilisation du Portail Famille"
/** The Edge partial holding the text of this version. */
export const CGU_PARTIAL = 'accounts::partials/cgu'
