// On a phone the main menu takes one line: a « Menu » button that shows and hides the list
// (a disclosure: aria-expanded). Without JavaScript the list stays shown.
const nav = document.querySelector('[data-menu]')
const toggle = nav?.querySelector('.main-nav__toggle')
if (nav && toggle) {
  nav.classList.add('main-nav--folding')
  toggle.hidden = false
  const current = nav.querySelector('a[aria-current="page"]')
  if (current) toggle.textContent = `Menu : ${current.textContent.trim()}`
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true'
    toggle.setAttribute('aria-expanded', String(open))
    nav.classList.toggle('main-nav--open', open)
  })
  nav.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || toggle.getAttribute('aria-expanded') !== 'true') return
    toggle.setAttribute('aria-expanded', 'false')
    nav.classList.remove('main-nav--open')
    toggle.focus()
  })
}
