"""The one HTML sanitizer for Hunar.

Every path that lets someone else's HTML reach a page goes through ``clean_html``: raw-HTML lesson
blocks (on save and again on render), imported course content, and learner or trainer supplied
HTML such as answers and feedback. Keeping a single allow-list here means a hole is fixed once.

The work is done by bleach; this module only decides what is allowed and adds three things bleach
does not do on its own:

* ``<script>``, ``<style>`` and friends are removed *with* their content (bleach's ``strip=True``
  drops the tags but lets the code inside leak out as text);
* an ``<iframe>`` survives only when its ``src`` is an https embed URL on ``ALLOWED_IFRAME_HOSTS``;
* every link gets ``rel="noopener noreferrer"``.

Deliberately absent: ``style`` (CSS can overlay fake UI and needs its own sanitizer), ``class``
(lets content borrow site CSS to impersonate site chrome; templates do the styling) and ``id``
(DOM clobbering). ``clean_html`` is idempotent, so cleaning on save and again on render is safe.
"""

import html
import re
import threading

from bleach.html5lib_shim import BleachHTMLParser, Filter
from bleach.sanitizer import Cleaner

ALLOWED_TAGS = frozenset(
    {
        *("p", "br", "hr", "h2", "h3", "h4", "blockquote", "pre", "code", "kbd"),
        *("strong", "em", "b", "i", "u", "s", "sub", "sup", "abbr", "span", "div", "bdi"),
        *("ul", "ol", "li", "dl", "dt", "dd", "a", "img", "figure", "figcaption", "iframe"),
        *("table", "thead", "tbody", "tr", "th", "td"),
    }
)

ALLOWED_ATTRIBUTES = {
    # Urdu lessons mix right-to-left and left-to-right text, so direction and language go anywhere.
    "*": ["dir", "lang"],
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "img": ["src", "alt", "width", "height"],
    "iframe": ["src", "title", "width", "height", "allow", "allowfullscreen", "loading"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Host -> required path prefix. The path pins iframes to the players' embed pages rather than
# anything else those hosts serve.
ALLOWED_IFRAME_HOSTS = {
    "www.youtube-nocookie.com": "/embed/",
    "www.youtube.com": "/embed/",
    "player.vimeo.com": "/video/",
}

# Elements whose content is code or raw text, never lesson prose, so it goes with the tag.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "noembed", "noframes", "xmp"}
)

_URL_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Stripped before reading a scheme, as bleach does: browsers ignore some of these inside URLs.
_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\xa0\s`]+")
# What browsers strip from both ends of a URL: C0 controls and space.
_URL_EDGE = "".join(map(chr, range(0x21)))
# Images and embeds are fetched, never followed, so mailto has no business there.
_URL_SCHEMES = {"href": ALLOWED_PROTOCOLS, "src": frozenset({"http", "https"})}


def _scheme(url):
    """The scheme a browser would see in ``url`` ("" for none), or None if it is too obfuscated."""
    # A second check behind bleach's, which decodes entities once and skips those without a
    # trailing ";" (browsers decode "&#x6A" too). Decoding until nothing changes also covers
    # anything downstream that unescapes again; a URL still changing after a few rounds is not
    # one anybody typed, and capping the rounds keeps "&amp;amp;amp;..." from costing O(n^2).
    for _ in range(4):
        decoded = html.unescape(url)
        if decoded == url:
            found = _URL_SCHEME.match(_URL_JUNK.sub("", url).lower())
            return found.group(1) if found else ""
        url = decoded
    return None


def _attr_allowed(tag, name, value):
    if name not in ALLOWED_ATTRIBUTES.get(tag, []) and name not in ALLOWED_ATTRIBUTES["*"]:
        return False
    if name not in _URL_SCHEMES:
        return True
    if any(c in value for c in '"<>`'):
        # Browsers percent-encode these in any URL someone typed; raw, they mark an attribute
        # break-out such as `<IMG SRC= onmouseover="alert(1)">`, where SRC swallows the rest.
        return False
    scheme = _scheme(value)
    return scheme == "" or scheme in _URL_SCHEMES[name]


def _is_allowed_embed(src):
    # A plain prefix test on the decoded URL: once it starts "https://host/path", no trick later
    # in the string can move a browser to another host.
    url = html.unescape(src).strip(_URL_EDGE).lower()
    return _scheme(src) == "https" and any(
        url.startswith(f"https://{host}{path}") for host, path in ALLOWED_IFRAME_HOSTS.items()
    )


class _DropWithContent(Filter):
    """Runs before bleach's sanitizer and removes DROPPED_WITH_CONTENT elements whole."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            if kind in ("StartTag", "EndTag") and token["name"] in DROPPED_WITH_CONTENT:
                depth += 1 if kind == "StartTag" else -1
            elif depth == 0:
                yield token


class _FinishFilter(Filter):
    """Runs after bleach's sanitizer: vets iframes, sets rel on links, keeps <pre> stable."""

    def __iter__(self):
        in_iframe = keep_iframe = after_pre = False
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if in_iframe:
                # Drop the iframe's fallback text along with any rejected iframe itself.
                in_iframe = not (kind == "EndTag" and name == "iframe")
                if in_iframe or not keep_iframe:
                    continue
            elif kind == "StartTag" and name == "iframe":
                keep_iframe = _is_allowed_embed(token["data"].get((None, "src"), ""))
                in_iframe = True
                if not keep_iframe:
                    continue
            elif kind == "StartTag" and name == "a":
                token["data"][(None, "rel")] = "noopener noreferrer"
            elif after_pre and kind.endswith("Characters") and token["data"].startswith("\n"):
                # Parsers drop one newline straight after <pre>, so without this every clean
                # would eat one more leading newline and clean_html would not be idempotent.
                token["data"] = "\n" + token["data"]
            after_pre = kind == "StartTag" and name == "pre"
            yield token


def _make_cleaner():
    cleaner = Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_attr_allowed,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[_FinishFilter],
    )
    # bleach's tokenizer turns tags it does not allow into empty text before the tree is built,
    # so the body of a <script> would be parsed as ordinary text. Let the parser build real
    # elements for DROPPED_WITH_CONTENT so _DropWithContent can remove them whole; the sanitizer
    # still allows only ALLOWED_TAGS, so anything that slipped past would be stripped anyway.
    cleaner.parser = BleachHTMLParser(
        tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT,
        strip=True,
        consume_entities=False,
        namespaceHTMLElements=False,
    )
    walk = cleaner.walker
    cleaner.walker = lambda dom: _DropWithContent(walk(dom))
    # html5lib quotes a value holding `"` with `'`, but bleach only undoes its own "&amp;" in
    # double-quoted values, so title=<"> became '&lt;"', then '&amp;lt;"', and so on with every
    # clean. Always using `"` (and &quot; inside) keeps clean_html idempotent.
    cleaner.serializer.use_best_quote_char = False
    return cleaner


# bleach's Cleaner keeps parser state on the instance and is documented as not thread-safe, so
# each thread (gunicorn threads, runserver, celery) gets its own, built from the same settings.
_local = threading.local()
_MAX_PASSES = 4


def clean_html(html_text: str) -> str:
    """Return ``html_text`` with everything outside the allow-list removed."""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = _make_cleaner()
    # Clean until the output no longer changes. The parser repairs bad markup into trees that
    # markup cannot express: "<a><table><a>" foster-parents the second link *inside* the first,
    # and parsing that serialization closes the outer link instead, so one pass is not always
    # idempotent. Already clean HTML (the render-time case) costs a single pass.
    for _ in range(_MAX_PASSES):
        cleaned = cleaner.clean(html_text)
        if cleaned == html_text:
            break
        html_text = cleaned
    return html_text
