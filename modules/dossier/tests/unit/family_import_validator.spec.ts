import { test } from '@japa/runner'
import { childRowValidator, familyRowValidator } from '#modules/dossier/validators/family_import'

const meta = { meta: { today: '2026-09-01' } }
const family = { famille_ref: 'F1', responsable1_nom: 'Martin', responsable1_prenom: 'Claire' }
const child = { famille_ref: 'F1', enfant_ref: 'E1', enfant_nom: 'Martin', enfant_prenom: 'Léa', enfant_date_naissance: '14/03/2016' }

async function familyProblems(row: Record<string, string>) {
  const [error] = await familyRowValidator.tryValidate({ ...family, ...row })
  return (error?.messages ?? []).map((problem: { field: string; message: string }) => `${problem.field}: ${problem.message}`)
}

test.group('Dossier: a families file row through its validators', () => {
  test('cells are normalised: civility, phone, email, quotient, regime, day', async ({ assert }) => {
    const [, checked] = await familyRowValidator.tryValidate({
      ...family,
      responsable1_civilite: 'madame',
      responsable1_telephone: '06.12.34.56.78',
      responsable1_email: 'Claire.Martin@Exemple.fr',
      quotient_familial: '1 234,6 €',
      regime: 'msa',
    })
    assert.deepInclude(checked!, {
      responsable1_civilite: 'Mme',
      responsable1_telephone: '06 12 34 56 78',
      responsable1_email: 'claire.martin@exemple.fr',
      quotient_familial: 1235,
      regime: 'MSA',
    })
    const [, row] = await childRowValidator.tryValidate({ ...child, enfant_sexe: 'f' }, meta)
    assert.deepInclude(row!, { enfant_date_naissance: '2016-03-14', enfant_sexe: 'F' })
  })

  test('each error names its column and says why in French, with the cell as written', async ({ assert }) => {
    assert.deepEqual(await familyProblems({ responsable1_civilite: 'Dr', responsable1_telephone: '12', quotient_familial: '-3' }), [
      'responsable1_civilite: civilité « Dr » inconnue (Mme ou M.)',
      'responsable1_telephone: numéro de téléphone invalide « 12 »',
      'quotient_familial: quotient familial invalide « -3 » (nombre entier en euros)',
    ])
    assert.deepEqual(await familyProblems({ responsable2_civilite: 'M.' }), [
      'responsable2_nom: nom du responsable vide',
      'responsable2_prenom: prénom du responsable vide',
    ])
    assert.deepEqual(
      await familyProblems({ responsable1_email: 'a@b.fr', responsable2_nom: 'Martin', responsable2_prenom: 'Paul', responsable2_email: 'A@B.fr' }),
      ['responsable2_email: les deux responsables ont la même adresse électronique']
    )
    const [error] = await childRowValidator.tryValidate({ famille_ref: 'F 1', enfant_nom: 'Martin', enfant_prenom: 'Léa', enfant_date_naissance: '01/01/2005' }, meta)
    assert.deepEqual(
      error!.messages.map((problem: { field: string; message: string }) => `${problem.field}: ${problem.message}`),
      [
        'famille_ref: référence invalide (lettres, chiffres, - _ . / ; 40 caractères au plus)',
        'enfant_ref: référence de l’enfant vide',
        'enfant_date_naissance: enfant de plus de 18 ans (date de naissance : 01/01/2005)',
      ]
    )
  })
})
