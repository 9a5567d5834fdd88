// Recovery codes (Account/Shared/RecoveryCodesPanel.razor): the Copy button, shown only when script runs, puts the
// codes on the clipboard, one a line, and says so.
(function () {
  var button = document.getElementById('recovery-codes-copy');
  var list = document.getElementById('recovery-codes');
  var status = document.getElementById('recovery-codes-copied');
  if (!button || !list || !navigator.clipboard) {
    return;
  }

  button.hidden = false;
  button.addEventListener('click', function () {
    var codes = Array.prototype.map.call(list.querySelectorAll('li'), function (li) { return li.textContent.trim(); });
    navigator.clipboard.writeText(codes.join('\n')).then(function () {
      status.textContent = 'Copied to the clipboard.';
    }, function () {
      status.textContent = 'Could not copy: select the codes, or download them.';
    });
  });
})();
