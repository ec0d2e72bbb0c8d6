// Progressive enhancement for list pages: the "select all on this page" box. Without JavaScript it
// stays hidden (styles.css shows .select-all only under .js) and bulk "apply to all" remains.
document.documentElement.classList.add('js');
document.addEventListener('change', (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.classList.contains('select-all')) return;
  for (const row of document.querySelectorAll(`input[type=checkbox][form="${box.dataset.for}"]`)) row.checked = box.checked;
});
