"""The cycle picture on the reflection screen, in real Chromium (issue 22.5): its labels are at
least 14 px as shown on a 390 px phone and at 1280 px, and each stays inside its box, in
English and Spanish."""

from __future__ import annotations

import pytest

from tests.browser_support import choose, click, open_app, press, running_server

pytestmark = pytest.mark.browser

MIN_LABEL_PX = 14
# Three patterns noticed, one not: labels in bold (marked) and in regular weight.
ANSWERS = ("sounds_like_me", "sounds_like_me", "not_really", "sounds_like_me")
PICTURE = '[data-testid=stMain] img[src^="data:image/svg+xml"]'

# The picture as the reader's browser has it: the SVG inside the <img>'s data: URI, and the
# size the <img> is drawn at.
SHOWN = """(selector) => {
  const img = document.querySelector(selector);
  const bytes = Uint8Array.from(atob(img.getAttribute('src').split(',')[1]), c => c.charCodeAt(0));
  const svg = new TextDecoder().decode(bytes);
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const sizes = [...doc.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')));
  return {svg, shownWidth: img.clientWidth, loaded: img.complete && img.naturalWidth > 0,
          viewWidth: doc.documentElement.viewBox.baseVal.width, smallest: Math.min(...sizes)};
}"""

# Each label line against the box it sits in, with Chromium's own font and glyph widths, the
# picture drawn at the width the <img> had: what spills past the inside of its border.
SPILLS = """([svg, width]) => {
  document.body.innerHTML = svg;
  const root = document.querySelector('svg');
  const box = root.viewBox.baseVal;
  root.setAttribute('width', width);
  root.setAttribute('height', width * box.height / box.width);
  const rects = [...root.querySelectorAll('rect')].map(r => ({box: r.getBBox(),
    border: parseFloat(r.getAttribute('stroke-width')) / 2}));
  return [...root.querySelectorAll('text')].flatMap(t => {
    const b = t.getBBox(), cx = b.x + b.width / 2, cy = b.y + b.height / 2;
    const r = rects.find(({box: q}) => q.x <= cx && cx <= q.x + q.width && q.y <= cy
                                       && cy <= q.y + q.height);
    if (!r) return [{text: t.textContent, outside: 'every box'}];
    const q = r.box, edge = r.border;
    const out = {left: q.x + edge - b.x, right: b.x + b.width - (q.x + q.width - edge),
                 top: q.y + edge - b.y, bottom: b.y + b.height - (q.y + q.height - edge)};
    return Object.entries(out).filter(([, by]) => by > 0)
      .map(([side, by]) => ({text: t.textContent, side, by: Math.round(by * 10) / 10}));
  });
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("cycle") / "server.log"
    with running_server(["bash", "scripts/serve.sh", "--server.port", "PORT"], log) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", [(390, 844), (1280, 800)], ids=["phone", "desktop"])
def test_the_cycle_labels_are_readable_and_inside_their_boxes_as_shown(
        browser, server, content, lang, size):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    open_app(page, server + "/")
    if lang != "en":
        click(page, page.get_by_text(content.languages[lang], exact=True))
    press(page, content.text(lang, "welcome.start"))
    for answer in ANSWERS:
        choose(page, content.text(lang, f"answers.{answer}.label"))
        press(page, content.text(lang, "nav.next"))
    assert page.locator("h1").first.inner_text() == content.text(lang, "reflection.heading")
    page.wait_for_function(
        f"() => {{ const i = document.querySelector('{PICTURE}'); "
        "return i && i.complete && i.naturalWidth > 0; }")
    shown = page.evaluate(SHOWN, PICTURE)
    assert shown["loaded"]
    label_px = shown["smallest"] * shown["shownWidth"] / shown["viewWidth"]
    assert label_px >= MIN_LABEL_PX, (
        f"labels are {label_px:.1f} px: the picture is {shown['shownWidth']} px wide for a "
        f"{shown['viewWidth']:.0f} px drawing")
    probe = context.new_page()
    assert probe.evaluate(SPILLS, [shown["svg"], shown["shownWidth"]]) == []
    context.close()
