"""What browser tests do on every page: sign in, and read the page as a merchant reads it."""

from __future__ import annotations

from typing import Any

__all__ = ["sign_in", "visible_texts"]

# Text nodes of the page a reader sees, each trimmed, outside elements marked
# translate="no" (the HTML attribute for content that is data, never
# translated: SKUs, names, amounts, profile names) and outside scripts and styles.
_VISIBLE_TEXTS = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text) continue;
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, [translate="no"], [hidden]')) continue;
    out.push(text);
  }
  for (const el of document.querySelectorAll('[title], [placeholder], [aria-label]')) {
    if (el.closest('[translate="no"]')) continue;
    for (const attr of ['title', 'placeholder', 'aria-label']) {
      const value = (el.getAttribute(attr) || '').trim();
      if (value) out.push(value);
    }
  }
  return out;
}
"""


def sign_in(page: Any, url: str, name: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda address: "/login" not in address)


def visible_texts(page: Any) -> list[str]:
    texts: list[str] = page.evaluate(_VISIBLE_TEXTS)
    return texts
