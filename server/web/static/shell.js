// The web shell's one enhancement: after a submit, the focus goes where the person must look,
// the first field in error (its message is read out through aria-describedby), or else the
// page's answer (id="answer").

function focusFirst() {
  const target = document.querySelector('[aria-invalid="true"]') || document.getElementById('answer');
  if (target) target.focus();
}

focusFirst();
