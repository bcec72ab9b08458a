// Long text fields are kept on this device while they are typed (sessionStorage: this tab only,
// gone when it closes), so that an ended session or an expired form loses nothing: back on the
// page, an empty field gets its draft again, and says so. A success on the next page clears the
// drafts that were sent; signing out clears them all.
const PREFIX = 'brouillon:'
const keyOf = (field) => `${PREFIX}${window.location.pathname}:${field.form?.getAttribute('action') ?? ''}:${field.name}`
const store = window.sessionStorage

const read = (key) => {
  try {
    return JSON.parse(store.getItem(key) ?? 'null')
  } catch {
    return null
  }
}

if (document.querySelector('[data-result].alert--success, [data-result].planning-results')) {
  for (const key of Object.keys(store)) if (key.startsWith(PREFIX) && read(key)?.sent) store.removeItem(key)
}

for (const field of document.querySelectorAll('form[method="POST" i] textarea[name]')) {
  const key = keyOf(field)
  const draft = read(key)
  if (draft?.text && !field.value.trim()) {
    field.value = draft.text
    const note = document.createElement('p')
    note.className = 'field__hint'
    note.setAttribute('role', 'status')
    note.textContent = 'Votre brouillon a été restauré : relisez-le avant d’envoyer.'
    field.insertAdjacentElement('afterend', note)
  }
  field.addEventListener('input', () => {
    if (field.value.trim()) store.setItem(key, JSON.stringify({ text: field.value, sent: false }))
    else store.removeItem(key)
  })
  field.form?.addEventListener('submit', () => {
    if (field.value.trim()) store.setItem(key, JSON.stringify({ text: field.value, sent: true }))
  })
}

for (const form of document.querySelectorAll('form[action="/deconnexion"]')) {
  form.addEventListener('submit', () => {
    for (const key of Object.keys(store)) if (key.startsWith(PREFIX)) store.removeItem(key)
  })
}
