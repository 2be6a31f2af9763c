// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';
  // Print button on the decision page; open every <details> while printing.
  document.querySelectorAll('.js-print').forEach(function (b) {
    b.hidden = false;
    b.addEventListener('click', function () { window.print(); });
  });
  var opened = [];
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details:not([open])').forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
  // The interview: each answer loads a new page; focus goes to its question
  // (read first by a screen reader, in view on a phone), or to the error.
  var err = document.querySelector('form.interview .error');
  var q = document.getElementById('question-titre');
  if (err) { err.setAttribute('tabindex', '-1'); err.focus(); } else if (q) { q.focus(); }
  // The header folds into a « Menu » button on a phone.
  var header = document.querySelector('header.site');
  var nav = header && header.querySelector('nav');
  if (nav) {
    var m = document.createElement('button');
    m.type = 'button';
    m.className = 'menu-toggle';
    m.textContent = 'Menu';
    m.setAttribute('aria-expanded', 'false');
    nav.id = nav.id || 'navigation';
    m.setAttribute('aria-controls', nav.id);
    header.classList.add('menu-closed');
    m.addEventListener('click', function () {
      var closed = header.classList.toggle('menu-closed');
      m.setAttribute('aria-expanded', closed ? 'false' : 'true');
    });
    nav.parentNode.insertBefore(m, nav);
  }
  // Open the paragraph the URL points to, and copy-to-clipboard for a new API token.
  var t = document.getElementById('nouveau-jeton');
  if (t && navigator.clipboard) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = 'Copier le jeton';
    b.addEventListener('click', function () {
      navigator.clipboard.writeText(t.textContent).then(function () { b.textContent = 'Jeton copié'; });
    });
    t.parentNode.appendChild(document.createTextNode(' '));
    t.parentNode.appendChild(b);
  }
})();
