import { DEMO_IDENTITIES } from './identities.js'

function escape(text: string) {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

function page(title: string, body: string) {
  return `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — FranceConnect (démonstration)</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;color:#161616}
.note{background:#fff4d6;border-left:4px solid #b34000;padding:.5rem 1rem}
fieldset{border:1px solid #ccc;padding:1rem}label{display:block;margin:.5rem 0}
button{font:inherit;padding:.5rem 1rem;margin:.5rem .5rem 0 0;border:2px solid #000091;background:#000091;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#000091}button:focus,input:focus{outline:3px solid #0a76f6;outline-offset:2px}</style>
</head><body><main>${body}</main></body></html>`
}

/** The identity picker: what FranceConnect and an identity provider do, in one page. */
export function loginPage(uid: string, clientName: string, scopes: string[]) {
  const choices = DEMO_IDENTITIES.map(
    (identity, index) =>
      `<label><input type="radio" name="sub" value="${escape(identity.sub)}"${index === 0 ? ' checked' : ''}> ${escape(identity.given_name)} ${escape(identity.family_name)}, née le ${escape(identity.birthdate.split('-').reverse().join('/'))}</label>`
  ).join('')
  return page(
    'Connexion',
    `<h1>FranceConnect — fournisseur d'identité de démonstration</h1>
<p class="note">Service local de démonstration et de test : il parle le protocole de FranceConnect mais n'authentifie personne.</p>
<p>${escape(clientName)} demande : ${escape(scopes.join(', '))}.</p>
<form method="post" action="/interaction/${escape(uid)}/login">
<fieldset><legend>Se connecter en tant que</legend>${choices}</fieldset>
<button type="submit">Continuer sur ${escape(clientName)}</button>
<button type="submit" class="secondary" name="cancel" value="1">Annuler et revenir</button>
</form>`
  )
}

export function logoutPage(form: string) {
  return page(
    'Déconnexion',
    `<h1>Déconnexion de FranceConnect</h1>${form}<p>Vous allez être déconnecté de FranceConnect (démonstration).</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button>`
  )
}

export function messagePage(title: string, text: string) {
  return page(title, `<h1>${escape(title)}</h1><p>${escape(text)}</p>`)
}
