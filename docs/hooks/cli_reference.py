"""MkDocs hook: the command-line reference, written from the command's own argparse parser.

``docs/reference/cli.md`` holds the marker ``<!-- cli-reference -->``; at build time it
is replaced by every command and subcommand of ``capexmodel._present.cli``'s parser: its usage,
description, options (with their arguments, choices and defaults) and epilog. The page
cannot drift from the command: it is the command's parser, rendered.
"""

from __future__ import annotations

import argparse
import html
import re
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

MARKER = "<!-- cli-reference -->"
PAGE = "reference/cli.md"
WIDTH = 80  # the usage lines are wrapped as on an 80-column terminal


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:  # noqa: ARG001
    """Replace the marker of the command-line page by the parser's reference."""
    if page.file.src_uri != PAGE:
        return markdown
    if MARKER not in markdown:
        msg = f"{PAGE} must hold the marker {MARKER} where the command-line reference goes"
        raise ValueError(msg)
    from capexmodel._present.cli import _parser  # noqa: PLC0415 -- imported when the page is built, not when mkdocs starts

    return markdown.replace(MARKER, "\n\n".join(_sections(_parser())))


def _sections(parser: argparse.ArgumentParser) -> Iterator[str]:
    """One section per command, the top-level command first, then each subcommand in turn."""
    for parser_, summary in _commands(parser, ""):
        yield _section(parser_, summary)


def _commands(parser: argparse.ArgumentParser, summary: str) -> Iterator[tuple[argparse.ArgumentParser, str]]:
    yield parser, summary
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            summaries = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, subparser in _subparsers(action).items():
                yield from _commands(subparser, summaries.get(name, ""))


def _section(parser: argparse.ArgumentParser, summary: str) -> str:
    formatter = argparse.HelpFormatter(prog=parser.prog, width=WIDTH)  # usage reads the same in every formatter
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    usage = formatter.format_help().strip()
    anchor = "cli-" + re.sub(r"[^a-z0-9]+", "-", parser.prog.lower()).strip("-")
    parts = [f"## `{parser.prog}` {{ #{anchor} }}"]
    if summary and summary != parser.description:
        parts.append(_text(summary[:1].upper() + summary[1:]) + ".")
    parts.append(f"```text\n{usage}\n```")
    if parser.description:
        parts.append(_text(parser.description))
    rows = [_row(parser, action) for action in parser._actions if not _is_subcommands(action)]
    if rows:
        parts.append("| Argument | Value | Default | Description |\n| --- | --- | --- | --- |\n" + "\n".join(rows))
    for action in parser._actions:
        if _is_subcommands(action):
            names = ", ".join(
                f"[`{subparser.prog}`](#cli-{re.sub(r'[^a-z0-9]+', '-', subparser.prog.lower()).strip('-')})"
                for subparser in _subparsers(action).values()
            )
            parts.append(f"Subcommands: {names}.")
    if parser.epilog:
        parts.append(f"```text\n{parser.epilog.strip()}\n```")
    return "\n\n".join(parts)


def _subparsers(action: argparse.Action) -> dict[str, argparse.ArgumentParser]:
    return cast("dict[str, argparse.ArgumentParser]", action.choices)


def _is_subcommands(action: argparse.Action) -> bool:
    return isinstance(action, argparse._SubParsersAction)


def _row(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
    repeated = " …" if action.nargs in {"+", "*"} else ""
    if not action.option_strings:  # a positional argument: its name is its value
        names, value = f"`{metavar}`{repeated}", ""
    elif action.choices is not None:
        names, value = _options(action), " \\| ".join(f"`{choice}`" for choice in action.choices)
    elif action.nargs == 0:
        names, value = _options(action), ""
    else:
        names, value = _options(action), f"`{metavar}`{repeated}"
    if action.required and action.option_strings:
        default = "required"
    elif action.default is None or action.default is argparse.SUPPRESS or action.nargs == 0:
        default = ""
    else:
        default = f"`{action.default}`"
    help_text = parser._get_formatter()._expand_help(action) if action.help else ""
    return f"| {names} | {value} | {default} | {_text(help_text)} |"


def _options(action: argparse.Action) -> str:
    return ", ".join(f"`{name}`" for name in action.option_strings)


def _text(text: str) -> str:
    """Plain text for a Markdown paragraph or table cell: nothing in it is read as markup."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    return re.sub(r"([\\`*_\[\]|#])", r"\\\1", escaped)
