"""MkDocs hook: the copy button of an interactive session copies only the code to type.

A ``pycon`` block (a ``>>>`` session, in the pages and in the reference's examples) shows
prompts, output and tracebacks. Material's copy button copies the text of the block's
``data-copy`` attribute when it has one; this hook gives every ``pycon`` block that
attribute: the block's statements, without ``>>>`` and ``...`` prompts, without output
and tracebacks, read by the same parser that runs the examples as doctests.
"""

from __future__ import annotations

import doctest
import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_BLOCK = re.compile(r'<div class="language-pycon highlight"(?P<attributes>[^>]*)>(?P<body>.*?</code></pre>)', re.DOTALL)
_CODE = re.compile(r"<code[^>]*>(?P<code>.*?)</code></pre>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_PARSER = doctest.DocTestParser()


def on_page_content(html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:  # noqa: ARG001
    """Give each ``pycon`` block of the page the code its copy button copies."""
    return _BLOCK.sub(_with_copy_text, html_text)


def _with_copy_text(match: re.Match[str]) -> str:
    if "data-copy=" in match["attributes"]:
        return match[0]
    code = _CODE.search(match["body"])
    if code is None:
        return match[0]
    session = html.unescape(_TAG.sub("", code["code"]))
    statements = copy_text(session)
    if not statements:
        return match[0]
    copy = html.escape(statements, quote=True)
    return f'<div class="language-pycon highlight" data-copy="{copy}"{match["attributes"]}>{match["body"]}'


def copy_text(session: str) -> str:
    r"""The statements of a ``>>>`` session, as one would type them into a file.

    Examples:
        >>> copy_text(">>> x = 1\n>>> x + 1\n2\n>>> for i in (1, 2):\n...     i\n1\n2\n")
        'x = 1\nx + 1\nfor i in (1, 2):\n    i'
    """
    try:
        examples = _PARSER.get_examples(session)
    except ValueError:  # not a well-formed session: copy it as it is
        return ""
    return "\n".join(example.source.rstrip("\n") for example in examples)
