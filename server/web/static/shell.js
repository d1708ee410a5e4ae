// The web shell's enhancements: after a submit, the focus goes where the person must look, the
// first field in error (its message is read out through aria-describedby), or else the page's
// answer (id="answer"); and a file input under our button (the `field()` macro) shows the name
// of the file chosen.

function focusFirst() {
  const target = document.querySelector('[aria-invalid="true"]') || document.getElementById('answer');
  if (target) target.focus();
}

focusFirst();

function showChosenFiles() {
  for (const input of document.querySelectorAll('.file-input')) {
    input.addEventListener('change', () => {
      const name = input.parentElement.querySelector('.file-name');
      const file = input.files && input.files[0];
      if (!file) {
        name.textContent = name.dataset.none;
        return;
      }
      const shown = document.createElement('bdi'); // a name as it came: data, in its own direction
      shown.className = 'data';
      shown.textContent = file.name;
      name.replaceChildren(shown);
    });
  }
}

showChosenFiles();
