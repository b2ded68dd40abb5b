"""Does the screen fit? Checks run inside the page at the kiosk's real size (ACCESSIBILITY.md
items 4, 27 and 29, and French typography).

Elderly people do not scroll: at 1920x1080, with normal text and with "Texte plus grand", the
question, the screen's main action (marked ``data-primary``) and Retour/Aide/Terminer must all
be inside the viewport, and nothing may scroll, neither the page nor a box inside it. A line
must never break inside a time ("9 h / 00") or leave a "?" alone at the start of a line.
"""

from __future__ import annotations

from a11y import Finding
from playwright.sync_api import Page

# Every rule of the whole kind, in one pass over the page as it is now.
FIT_PROBES = """
() => {
  const problems = [];
  const W = window.innerWidth, H = window.innerHeight;
  const label = el => (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 40);
  const visible = el => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
  };
  const where = el => {
    const r = el.getBoundingClientRect();
    return `top ${Math.round(r.top)}, bottom ${Math.round(r.bottom)}, left ${Math.round(r.left)}, right ${Math.round(r.right)}`;
  };
  const inside = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top >= -1 && r.left >= -1 && r.bottom <= H + 1 && r.right <= W + 1;
  };

  const doc = document.scrollingElement || document.documentElement;
  if (doc.scrollHeight > H + 1)
    problems.push(`no-vertical-scroll: the page is ${doc.scrollHeight}px high in a ${H}px screen`);
  // The frame is exactly the screen: content too long for it spills under "Parler" and the
  // footer rather than making the page scroll. It must fit the space between them.
  const main = document.querySelector('main');
  if (main && main.scrollHeight > main.clientHeight + 1)
    problems.push(`content-fits: the content is ${main.scrollHeight}px high in the ${main.clientHeight}px between the question's top and the footer`);
  // A box that scrolls by itself hides its end just the same.
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const s = getComputedStyle(el);
    if (/(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1)
      problems.push(`no-inner-scroll: ${el.tagName.toLowerCase()}.${el.className} holds ${el.scrollHeight}px in ${el.clientHeight}px`);
  }

  const h1 = document.querySelector('h1');
  if (!h1 || !visible(h1)) problems.push('question-visible: no visible h1');
  else if (!inside(h1)) problems.push(`question-visible: the h1 "${label(h1)}" is at ${where(h1)}`);

  const dialog = document.querySelector('dialog[open]');
  const scope = dialog || document.querySelector('main');
  const primary = scope && [...scope.querySelectorAll('[data-primary]')].filter(visible);
  if (!primary || primary.length === 0)
    problems.push('primary-visible: the screen marks no visible main action (data-primary)');
  else for (const el of primary)
    if (!inside(el)) problems.push(`primary-visible: "${label(el)}" is at ${where(el)}`);

  const footer = [...document.querySelectorAll('.navbar .button')].filter(visible);
  const kinds = new Set(footer.map(el => el.dataset.voice));
  for (const needed of ['help', 'end'])
    if (!kinds.has(needed)) problems.push(`footer-visible: no ${needed} button in the footer`);
  for (const el of footer)
    if (!inside(el)) problems.push(`footer-visible: "${label(el)}" is at ${where(el)}`);

  // ACCESSIBILITY.md item 29: the kiosk has no keyboard but its own big keys.
  const keys = document.querySelector('main .keys');
  for (const field of document.querySelectorAll('input, textarea, [contenteditable=true]')) {
    const type = (field.getAttribute('type') || 'text').toLowerCase();
    if (['hidden', 'submit', 'button'].includes(type) || !visible(field)) continue;
    if (!keys) problems.push(`own-keys: a ${field.tagName.toLowerCase()} field needs a keyboard the kiosk does not have`);
  }
  return problems;
}
"""

# French typography: a line never breaks inside a time, nor before ? ! : ; », nor after «.
TYPOGRAPHY_PROBE = """
() => {
  const problems = [];
  const PATTERNS = [
    /\\d{1,2}\\s*h\\s*\\d{2}/g,          // 9 h 00
    /\\d{1,2}:\\d{2}\\s*[AP]\\.?M\\.?/gi,  // 9:00 AM
    /\\d+\\s*mmHg/g,                    // 163 mmHg
    /[^\\s\\-\u2010\u2011]+\\s+[?!:;»]/g,   // allergies ? (a hyphen may break before it)
    /«\\s+\\S+/g,                         // « Plus
  ];
  const blocks = 'button, a, label, h1, h2, p, dt, dd, li, legend, output';
  const seen = new Set();
  for (const el of document.querySelectorAll(blocks)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (seen.has(node)) continue;
      seen.add(node);
      const text = node.nodeValue;
      for (const pattern of PATTERNS) {
        for (const m of text.matchAll(pattern)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const rects = [...range.getClientRects()].filter(x => x.width > 0);
          if (rects.length < 2) continue;
          const first = rects[0];
          if (rects.some(x => x.top >= first.bottom - 2))
            problems.push(`no-break-inside: "${m[0].replace(/\\s+/g, ' ')}" breaks across lines in ${el.tagName.toLowerCase()} "${(el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 50)}"`);
        }
      }
    }
  }
  return problems;
}
"""

WIDE_PROBE = """
() => {
  const doc = document.scrollingElement || document.documentElement;
  return doc.scrollWidth > window.innerWidth + 1
    ? [`no-horizontal-scroll: the page is ${doc.scrollWidth}px wide in a ${window.innerWidth}px screen`]
    : [];
}
"""


def _findings(page: Page, screen: str, script: str) -> list[Finding]:
    found = []
    for problem in page.evaluate(script):
        rule, _, detail = problem.partition(": ")
        found.append(Finding(screen, rule, detail))
    return found


def fits(page: Page, screen: str) -> list[Finding]:
    """At the kiosk's own size: nothing scrolls; question, main action and footer in sight;
    no field without the kiosk's keys; no line broken inside a time or before a "?"."""
    return fits_narrow(page, screen) + _findings(page, screen, FIT_PROBES)


def fits_narrow(page: Page, screen: str) -> list[Finding]:
    """At 960x540 with text twice as large (4x): no horizontal scroll, no broken time or "?"."""
    return _findings(page, screen, WIDE_PROBE) + _findings(page, screen, TYPOGRAPHY_PROBE)
