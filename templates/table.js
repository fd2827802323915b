// The split report's index: forwards #feature.id to the feature's row on its section page, and
// searches feature ids and titles. Without it, the same index is a plain list of links.
(() => {
  const list = document.getElementById("features");
  if (!list) return;
  const forward = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const entry = id && document.getElementById(id);
    const link = entry && list.contains(entry) && entry.querySelector("a");
    if (link) location.replace(link.href);
  };
  forward();
  addEventListener("hashchange", forward);
  const box = document.getElementById("search");
  const input = document.getElementById("find");
  const found = document.getElementById("found");
  const status = document.getElementById("found-status");
  const items = Array.from(list.children, (li) => [li.dataset.s, li]);
  box.hidden = false;
  const search = () => {
    const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    found.replaceChildren();
    if (!words.length) {
      status.textContent = "";
      return;
    }
    const hits = items.filter(([text]) => words.every((w) => text.includes(w)));
    // A feature whose own name is the word comes first: "removeStream" before what it mentions.
    const last = words[words.length - 1];
    const own = ([text]) => (text.split(" ")[0].endsWith("." + last) ? 0 : 1);
    hits.sort((a, b) => own(a) - own(b));
    for (const [, li] of hits.slice(0, 100)) {
      const copy = li.cloneNode(true);
      copy.removeAttribute("id");
      found.append(copy);
    }
    const more = hits.length > 100 ? ", the first 100 shown" : "";
    status.textContent = `${hits.length} feature${hits.length === 1 ? "" : "s"} match${more}.`;
  };
  input.addEventListener("input", search);
  if (input.value) search();
})();
