/**
 * The legal text of the SEPA mandate (the EPC's standard wording for a core direct debit), as
 * the parent reads it on the signing page and as the signed PDF prints it: one source, so the
 * document never says something else than what was signed.
 */
export function mandateText(creditorName: string, where: 'page' | 'document' = 'page'): string[] {
  const revoke = where === 'page' ? 'sur cette page' : 'depuis votre espace famille, rubrique FACTURATION, page « Prélèvement automatique »'
  return [
    `En signant ce formulaire de mandat, vous autorisez ${creditorName} à envoyer des instructions à votre banque pour débiter votre compte, et votre banque à débiter votre compte conformément aux instructions de ${creditorName}.`,
    'Vous bénéficiez du droit d’être remboursé par votre banque selon les conditions décrites dans la convention que vous avez passée avec elle. Une demande de remboursement doit être présentée dans les 8 semaines suivant la date de débit de votre compte pour un prélèvement autorisé.',
    `Vos droits concernant le présent mandat sont expliqués dans un document que vous pouvez obtenir auprès de votre banque. Vous pouvez révoquer ce mandat à tout moment ${revoke}.`,
  ]
}
