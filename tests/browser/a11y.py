"""Accessibility checks run inside the page: axe-core at strict settings plus our own probes.

axe-core's defaults let bad kiosk pages pass (24 px targets, 4.5:1 contrast for large text), so
its rules are reconfigured to ACCESSIBILITY.md: targets and offsets of 44 px, 7:1 for all text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21aa",
    "wcag22aa",
    "wcag2aaa",
    "best-practice",
    "RGAAv4",
    "EN-301-549",
]

RUN_AXE = """
async (tags) => {
  const contrast = {normal: {expected: 7, minThreshold: 4.5}, large: {expected: 7, minThreshold: 3}};
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    rules: {'target-size': {enabled: true}, 'color-contrast-enhanced': {enabled: true}},
    checks: {
      'target-size': {options: {minSize: 44}},
      'target-offset': {options: {minOffset: 44}},
      'color-contrast-enhanced': {options: {contrastRatio: contrast}},
    },
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    rule: v.id,
    help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(1).join(' ')),
  }));
}
"""

# The kiosk's own probes (ACCESSIBILITY.md items 1, 2, 13, 16, 23): things axe does not see.
# Whether the screen fits (items 4 and 27) is fit.py's.
PROBES = """
() => {
  const problems = [];
  const visible = el => {
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
  };
  const label = el => (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 40);
  const root = document.querySelector('dialog[open]') || document;

  const h1s = [...document.querySelectorAll('h1')].filter(visible);
  if (h1s.length !== 1) problems.push(`one-h1: found ${h1s.length} visible h1`);

  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = new Set();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || !visible(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 24) small.add(`${el.tagName.toLowerCase()} "${label(el)}" is ${size}px`);
  }
  small.forEach(s => problems.push(`text-24px: ${s}`));

  const targets = [...root.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [role=button]')]
    .filter(visible);
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    if (r.width < 44 || r.height < 44)
      problems.push(`target-44px: ${el.tagName.toLowerCase()} "${label(el)}" is ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i].getBoundingClientRect(), b = targets[j].getBoundingClientRect();
      const dx = Math.max(b.left - a.right, a.left - b.right, 0);
      const dy = Math.max(b.top - a.bottom, a.top - b.bottom, 0);
      if (Math.max(dx, dy) < 8)
        problems.push(`target-spacing-8px: "${label(targets[i])}" and "${label(targets[j])}" are ${Math.round(Math.max(dx, dy))}px apart`);
    }
  }
  for (const el of [...root.querySelectorAll('button, a.button')].filter(visible)) {
    const word = (el.innerText || '').trim();
    // A keyboard key's letter is its word; an icon on each letter would only add clutter.
    if (!el.querySelector('svg.icon') && !el.classList.contains('key'))
      problems.push(`icon-and-word: "${label(el)}" has no icon`);
    if (!word) problems.push(`icon-and-word: a ${el.tagName.toLowerCase()} has no visible word`);
    const name = el.getAttribute('aria-label');
    if (name && !name.includes(word)) problems.push(`label-in-name: "${word}" not in "${name}"`);
  }
  const forms = document.querySelectorAll('main form');
  if (forms.length > 1) problems.push(`one-form: ${forms.length} forms in main`);
  // A background check (data-poll) has its no-JS equivalent as a visible button on the screen.
  for (const el of document.querySelectorAll('[hx-get]:not([data-poll]), [hx-post]:not([data-poll])')) {
    const fallback = el.getAttribute('href') || el.getAttribute('action');
    if (!fallback) problems.push(`no-js-fallback: ${el.outerHTML.slice(0, 60)}`);
  }
  for (const img of document.images) {
    if (!img.complete || img.naturalWidth === 0) problems.push(`image-loads: ${img.getAttribute('src')} did not load`);
  }
  return problems;
}
"""


@dataclass(frozen=True)
class Finding:
    """One failed check, named by screen and rule."""

    screen: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.screen}] {self.rule}: {self.detail}"


def audit(page: Page, screen: str) -> list[Finding]:
    """Run strict axe and the probes on the page as it is now."""
    findings = [
        Finding(screen, v["rule"], f"{v['help']} -> {v['targets']}")
        for v in page.evaluate(RUN_AXE, AXE_TAGS)
    ]
    for problem in page.evaluate(PROBES):
        rule, _, detail = problem.partition(": ")
        findings.append(Finding(screen, rule, detail))
    return findings
