"""mkdocs hook: replace ``<!-- corridors-cli -->`` in a page with the reference of every
``corridors`` command, generated from the Typer app itself (so it never drifts from the code)."""

from __future__ import annotations

import re

MARKER = "<!-- corridors-cli -->"


def cli_reference() -> str:
    """The Markdown reference of the ``corridors`` CLI, headings one level down (## corridors ...)."""
    import typer
    from typer.cli import get_docs_for_click

    from corridors.cli.main import app

    command = typer.main.get_command(app)
    text = get_docs_for_click(obj=command, ctx=typer.Context(command), name="corridors")
    return re.sub(r"^(#+) ", r"#\1 ", text.strip(), flags=re.MULTILINE) + "\n"


def on_page_markdown(markdown: str, **kwargs) -> str:
    return markdown.replace(MARKER, cli_reference()) if MARKER in markdown else markdown
