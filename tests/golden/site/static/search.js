// Run the search a visitor typed into the search box of another page (/search/?q=...), and keep
// the address in step with what is typed, so a search can be bookmarked and shared.
"use strict";
// The index is in shards: merge the others into the first before the first search loads it.
(() => {
  const config = document.querySelector("pagefind-config[data-merge-index]");
  const components = window.PagefindComponents;
  if (!config || !components) return;
  const shards = config.dataset.mergeIndex.split(" ").filter(Boolean);
  const instance = components.getInstanceManager().getInstance("default");
  instance.options.mergeIndex = shards.map((bundlePath) => ({ bundlePath }));
})();
(() => {
  const input = document.querySelector("pagefind-input input");
  if (!input) return;
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  input.addEventListener("input", () => {
    const url = new URL(window.location.href);
    if (input.value) url.searchParams.set("q", input.value);
    else url.searchParams.delete("q");
    window.history.replaceState(null, "", url);
  });
})();
