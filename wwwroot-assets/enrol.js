// The enrolment page (/account/enrol). An enrolment link carries its one-time token in the fragment (#...), which the
// browser never sends to a server, so it appears in no request line or access log: hand it to the portal in the body of
// the page's form, and take it out of the address bar and the history first.
(function () {
  var form = document.getElementById('enrol-link-form');
  var field = document.getElementById('enrol-link');
  var token = window.location.hash.length > 1 ? window.location.hash.substring(1) : '';
  if (!form || !field || !token) {
    return;
  }

  history.replaceState(null, '', window.location.pathname + window.location.search);
  field.value = token;
  form.submit();
})();
