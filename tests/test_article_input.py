"""geo.article_input: pasted and uploaded articles checked and made plain text; every refusal says why."""

from __future__ import annotations

import pytest

from geo.article_input import MAX_BYTES, ArticleInputError, from_paste, from_upload, html_text, markdown_text

PAGE = """<!doctype html><html><head><title>Storm hits Tijuana</title>
<script>window.stolen = document.cookie</script><style>p {color: red}</style>
<link rel="stylesheet" href="https://cdn.example/site.css"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav><header>Daily News</header>
<article><h1>Storm   hits Tijuana</h1>
<p>Floods hit <b>Tijuana</b> on Sunday &amp; dozens of people fled.</p>
<script>document.write('<p>injected</p>')</script><noscript>Enable JavaScript</noscript>
<p>About 300 people reached Mexicali.<br>More soon.</p>
<figure><img src="x.jpg" onerror="alert(1)"><figcaption>Photo: agency</figcaption></figure></article>
<aside>Most read: Paris</aside><footer>© Daily News</footer></body></html>"""


def test_an_html_page_keeps_its_article_and_loses_scripts_styles_and_the_page_around_it() -> None:
    article = from_upload("page.html", PAGE.encode("utf-8"))
    assert article.text.split("\n") == ["Storm hits Tijuana", "Floods hit Tijuana on Sunday & dozens of people fled.",
                                        "About 300 people reached Mexicali.", "More soon."]
    assert article.title == "Storm hits Tijuana"
    for gone in ("stolen", "cookie", "injected", "color", "Enable JavaScript", "Home", "Daily News", "Paris",
                 "agency", "alert"):
        assert gone not in article.text
    assert "2 scripts and 2 style sheets removed, never run" in article.notes[0]


def test_a_page_without_an_article_element_keeps_its_body_without_navigation() -> None:
    text, title, dropped = html_text("<body><nav>Menu</nav><h1>Rain</h1><div>Rain fell in Lima.<p>It stopped.</div>"
                                     "<footer>Contact</footer></body>")
    assert text == "Rain\nRain fell in Lima.\nIt stopped." and title == "Rain" and not dropped


def test_unclosed_and_void_elements_do_not_swallow_the_text() -> None:
    text, _, _ = html_text("<p>One <embed src=x> two<p>Three <nav>menu<p>Four</body>")
    assert "One two" in text and "Three" in text


def test_pasted_html_source_is_read_as_a_page_and_plain_text_is_left_alone() -> None:
    assert from_paste("<p>Rain in <i>Lima</i>.</p><script>alert(1)</script>").text == "Rain in Lima."
    plain = "Rain in Lima <i think> fell 3 < 4 times.\r\nSecond line."
    assert from_paste(plain).text == "Rain in Lima <i think> fell 3 < 4 times.\nSecond line."


def test_markdown_keeps_its_words_and_joins_soft_wrapped_lines() -> None:
    text, title = markdown_text("# Storm hits *Tijuana*\n\nFloods hit **Tijuana** on Sunday, and [dozens](http://x)"
                                " of people\nfled to the hills.\n\n- About 300 people reached `Mexicali`.\n"
                                "- ![photo](x.png) More soon <script>alert(1)</script> here.\n\n> A quote.\n\n---\n"
                                "[x]: http://example.com\n")
    assert text.split("\n") == ["Storm hits Tijuana", "Floods hit Tijuana on Sunday, and dozens of people fled to "
                                "the hills.", "About 300 people reached Mexicali.", "More soon here.", "A quote."]
    assert title == "Storm hits Tijuana"
    assert "snake_case_word" in markdown_text("a snake_case_word stays")[0]


@pytest.mark.parametrize(("data", "says"), [
    (b"%PDF-1.7\n...", "is a PDF document, not text"),
    (b"PK\x03\x04word/document.xml", "ZIP archive"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xfeR\x00a\x00i\x00n\x00", "UTF-16"),
    (b"Rain\x00\x01\x02", "binary data (a zero byte at byte 4)"),
    (b"Rain in Bogot\xe1 today.", "not UTF-8 text: byte 0xe1 at line 1"),
    (b"Rain.\nSnow\x07.", "control character (U+0007) at line 2, column 5"),
    (b"   \n\t", "is empty"),
    (b"<html><script>alert(1)</script></html>", "holds no text once its markup is dropped"),
])
def test_unusable_files_are_refused_with_what_is_wrong(data: bytes, says: str) -> None:
    name = "page.html" if data.startswith(b"<html") else "article.txt"
    with pytest.raises(ArticleInputError) as refused:
        from_upload(name, data)
    assert says in str(refused.value)


def test_size_names_and_kinds_are_checked_before_reading() -> None:
    with pytest.raises(ArticleInputError, match=f"the limit is {MAX_BYTES:,} bytes"):
        from_upload("big.txt", b"a" * (MAX_BYTES + 1))
    with pytest.raises(ArticleInputError, match=f"{MAX_BYTES + 1:,} bytes"):
        from_paste("é" * (MAX_BYTES // 2) + "a")  # counted in UTF-8 bytes, as it is saved
    with pytest.raises(ArticleInputError, match="not a .txt, .md or .html file"):
        from_upload("story.docx", b"text")
    long_name = "x" * 300 + ".exe"
    with pytest.raises(ArticleInputError) as refused:
        from_upload(long_name, b"")
    assert len(str(refused.value)) < 120, "a message repeats only a short part of a file name"


def test_a_bom_is_dropped_and_text_files_keep_their_lines() -> None:
    article = from_upload("a.txt", "\ufeffRain in Lima.\r\nSun in Quito.  \n".encode("utf-8"))
    assert article.text == "Rain in Lima.\nSun in Quito." and article.notes == []
