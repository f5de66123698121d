// galen: a little progressive enhancement. Every page works without it.
'use strict';

document.addEventListener('DOMContentLoaded', function () {
  // Submitting the ask form with Ctrl/Cmd+Enter from the question box.
  var q = document.getElementById('q');
  if (q && q.form) {
    q.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        q.form.requestSubmit ? q.form.requestSubmit() : q.form.submit();
      }
    });
  }

  // Changing the audience re-asks at once when an answer is shown.
  var answer = document.querySelector('article.answer');
  document.querySelectorAll('fieldset.audience input[type=radio]').forEach(function (r) {
    r.addEventListener('change', function () {
      if (answer && q && q.value.trim() !== '' && r.form) {
        r.form.requestSubmit ? r.form.requestSubmit() : r.form.submit();
      }
    });
  });

  // Forms that change state cannot be sent twice. The buttons are disabled
  // only after the browser has collected the form, so the pressed button's
  // name and value are still sent.
  document.querySelectorAll('form[method=post]').forEach(function (f) {
    f.addEventListener('submit', function () {
      setTimeout(function () {
        f.querySelectorAll('button[type=submit]').forEach(function (b) {
          b.disabled = true;
          b.setAttribute('aria-busy', 'true');
        });
      }, 0);
    });
  });

  // Rejecting needs a note: say so before the round trip.
  document.querySelectorAll('button[name=action][value=reject]').forEach(function (b) {
    b.addEventListener('click', function (e) {
      var note = b.form && b.form.querySelector('[name=note]');
      if (note && note.value.trim() === '') {
        e.preventDefault();
        note.setAttribute('aria-invalid', 'true');
        note.focus();
      }
    });
  });
});
