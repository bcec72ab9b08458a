/**
 * Why the bank rejected a debit, in words a family understands (the ISO 20022 external status
 * reason codes the SEPA Core rulebook uses for R-transactions). Each sentence follows
 * "Le prélèvement du … a été rejeté : ".
 */
const REASONS: Record<string, string> = {
  AC01: 'le numéro de compte (IBAN) du mandat est incorrect',
  AC04: 'le compte bancaire du mandat est clôturé',
  AC06: 'le compte bancaire du mandat est bloqué',
  AC13: 'le compte indiqué ne peut pas être prélevé',
  AG01: 'ce compte n’accepte pas les prélèvements',
  AG02: 'la banque a refusé l’opération pour une raison technique',
  AM04: 'la provision du compte était insuffisante le jour du prélèvement',
  AM05: 'la banque l’a pris pour un doublon d’un prélèvement déjà passé',
  BE05: 'votre banque ne reconnaît pas la commune comme créancier de ce mandat',
  CNOR: 'la banque de la commune n’a pas pu transmettre le prélèvement',
  DNOR: 'votre banque ne peut pas recevoir de prélèvement SEPA',
  FF01: 'le fichier de prélèvement n’a pas pu être lu par la banque',
  MD01: 'votre banque ne connaît pas de mandat de prélèvement pour ce compte',
  MD02: 'des informations du mandat sont manquantes ou incorrectes',
  MD06: 'le titulaire du compte a contesté ce prélèvement auprès de sa banque',
  MD07: 'le titulaire du compte est décédé',
  MS02: 'le titulaire du compte a refusé ce prélèvement',
  MS03: 'la banque n’en a pas précisé la raison',
  RC01: 'le code BIC de la banque est incorrect',
  RR01: 'des informations obligatoires sur le compte du titulaire manquent',
  RR02: 'le nom ou l’adresse du titulaire du compte manque',
  RR03: 'le nom ou l’adresse de la commune manque',
  RR04: 'la banque l’a refusé pour une raison réglementaire',
  SL01: 'un service de votre banque a bloqué ce prélèvement (par exemple une liste de créanciers refusés)',
}

const UNKNOWN = 'la banque ne l’a pas accepté'

/** The family's words for a reason code; a code outside the list still reads as a sentence. */
export function rejectReasonText(code: string | null | undefined): string {
  return (code && REASONS[code.trim().toUpperCase()]) || UNKNOWN
}

/** Staff see the code beside the words: "AM04 — provision insuffisante …". */
export function rejectReasonForStaff(code: string | null | undefined): string {
  return code ? `${code} — ${rejectReasonText(code)}` : rejectReasonText(code)
}

export const KNOWN_REJECT_CODES = Object.keys(REASONS)
