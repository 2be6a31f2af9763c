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
