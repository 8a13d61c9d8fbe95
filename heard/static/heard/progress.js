// Keeps a progress section up to date without reloading the page (a timed reload fails WCAG 2.2.1, and moves
// a screen reader back to the top). Progressive enhancement: without JavaScript the section has a link to
// look again. The section is a polite live region, so changes are announced without taking focus.
const POLL_MS = 2000;

function watch(section) {
  const address = section.dataset.heardPoll;
  const step = async () => {
    let page;
    try {
      const response = await fetch(address, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      // Sent somewhere else (signed out, or the work moved on): go there, as a link would, rather than read
      // the other page as this one's result.
      if (response.redirected) return window.location.assign(response.url);
      if (!response.ok) return setTimeout(step, POLL_MS * 2);
      page = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      return setTimeout(step, POLL_MS * 2);
    }
    const fresh = page.getElementById(section.id);
    if (fresh) {
      section.replaceChildren(...fresh.childNodes);
      setTimeout(step, POLL_MS);
      return;
    }
    // Finished: show the result in place of the progress section, and say so.
    const main = document.querySelector("main");
    const result = page.querySelector("main");
    if (main && result) {
      main.replaceChildren(...result.childNodes);
      document.title = page.title;
      const heading = main.querySelector("h1");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  };
  setTimeout(step, POLL_MS);
}

document.querySelectorAll("[data-heard-poll]").forEach(watch);
