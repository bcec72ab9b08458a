// After a submit, move the focus to what it produced so it is read first: the error summary,
// else the result (flash alert or the page's own result region). The title already says it.
const target = document.querySelector('[data-error-summary]') ?? document.querySelector('[data-result]')
if (target) target.focus()
