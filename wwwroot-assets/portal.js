// A table wider than its card scrolls sideways inside the card (phones). Such a container becomes a named, focusable
// region so that it can be scrolled from the keyboard (WCAG 2.1.1); it goes back to plain once it no longer scrolls.
// MudBlazor's tables have no parameter for this, and whether a table scrolls depends on the window.
(function () {
  var pending = false;

  function name(container) {
    var card = container.closest('.mud-paper, .mud-card, section');
    var heading = card ? card.querySelector('h1, h2, h3, h4, h5, h6') : null;
    return (heading ? heading.textContent.trim() + ': table' : 'Table') + ', scrolls sideways';
  }

  function mark() {
    pending = false;
    document.querySelectorAll('.mud-table-container').forEach(function (container) {
      var scrolls = container.scrollWidth > container.clientWidth + 1;
      if (scrolls && !container.hasAttribute('tabindex')) {
        container.setAttribute('tabindex', '0');
        container.setAttribute('role', 'region');
        container.setAttribute('aria-label', name(container));
        container.setAttribute('data-ttp-scrolls', '');
      } else if (!scrolls && container.hasAttribute('data-ttp-scrolls')) {
        ['tabindex', 'role', 'aria-label', 'data-ttp-scrolls'].forEach(function (a) { container.removeAttribute(a); });
      }
    });
  }

  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(mark);
    }
  }

  new MutationObserver(schedule).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener('resize', schedule);
  schedule();
})();
