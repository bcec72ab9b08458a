import { escapeXml, PAYMENT_PAGE_PATH, type ResultCode } from '#modules/billing/services/payment/payfip_soap'
import { returnUrl, type SimulatedOperation } from '#modules/billing/simulator/operation_ledger'

const RESULT_WORDS: Record<ResultCode, string> = {
  P: 'Paiement par carte accepté',
  V: 'Prélèvement accepté',
  R: 'Paiement par carte refusé',
  Z: 'Prélèvement refusé',
  A: 'Paiement abandonné',
}

function euros(cents: string) {
  const value = Number(cents)
  return `${Math.floor(value / 100)},${String(value % 100).padStart(2, '0')} €`
}

/** The simulator's own frame: it stands for PayFiP's site, not for the portal. */
function page(title: string, main: string) {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)} — PayFiP (simulateur)</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f6f6f6; }
header, main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
header { background: #00355f; color: #fff; max-width: none; }
header p { margin: 0; max-width: 40rem; margin: 0 auto; }
.card { background: #fff; border: 1px solid #767676; border-radius: 4px; padding: 1rem; margin-bottom: 1rem; }
button { font: inherit; padding: 0.6rem 1rem; margin: 0.25rem 0.25rem 0.25rem 0; border-radius: 4px; border: 2px solid #00355f; background: #00355f; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #00355f; }
button:focus, a:focus { outline: 3px solid #b34000; outline-offset: 2px; }
dt { font-weight: 700; }
dd { margin: 0 0 0.5rem 0; }
fieldset { border: 1px solid #767676; }
</style>
</head>
<body>
<header><p><strong>PayFiP</strong> — simulateur local (aucun paiement réel)</p></header>
<main id="contenu">
${main}
</main>
</body>
</html>`
}

export function unknownOperationPage() {
  return page('Opération inconnue', '<h1>Opération inconnue</h1><p>Ce lien de paiement n’est pas valable.</p>')
}

/** An operation already decided, or expired: its outcome and the way back to the portal. */
export function finishedPage(operation: SimulatedOperation) {
  const words = operation.result ? RESULT_WORDS[operation.result] : 'Le délai de 15 minutes est dépassé : opération expirée'
  return page(
    'Opération terminée',
    `<h1>Opération terminée</h1><p>${escapeXml(words)}.</p><p><a href="${escapeXml(returnUrl(operation))}">Retour au portail</a></p>`
  )
}

/** What is paid, and one button per outcome a test or a demo may want. */
export function paymentFormPage(operation: SimulatedOperation) {
  const f = operation.fields
  const form = (code: ResultCode, label: string, secondary = false) =>
    `<button type="submit" name="resultat" value="${code}"${secondary ? ' class="secondary"' : ''}>${label}</button>`
  return page(
    'Paiement',
    `<h1>Paiement de votre facture</h1>
<div class="card">
<dl>
<dt>Objet</dt><dd>${escapeXml(f.objet)}</dd>
<dt>Référence</dt><dd>${escapeXml(f.refdet)}</dd>
<dt>Montant</dt><dd>${escapeXml(euros(f.montant))}</dd>
<dt>Adresse électronique</dt><dd>${escapeXml(f.mel)}</dd>
</dl>
${f.saisie !== 'W' ? '<p>Mode test : aucune carte n’est débitée.</p>' : ''}
</div>
<form method="post" action="${PAYMENT_PAGE_PATH}">
<input type="hidden" name="idop" value="${escapeXml(operation.idOp)}">
<fieldset>
<legend>Choisissez l’issue du paiement simulé</legend>
${form('P', 'Payer par carte')}
${form('V', 'Payer par prélèvement')}
${form('R', 'Carte refusée', true)}
${form('Z', 'Prélèvement refusé', true)}
${form('A', 'Abandonner', true)}
</fieldset>
</form>`
  )
}

export function homePage(operationCount: number) {
  return page('Accueil', `<h1>Simulateur PayFiP</h1><p>${operationCount} ${operationCount >= 2 ? 'opérations' : 'opération'} en mémoire.</p>`)
}
