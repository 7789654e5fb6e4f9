"""MkDocs hook: the reference's "source" links point at the repository named by ``repo_url``.

griffe builds an object's source link from the Git remote of the checkout the site is
built from, which a fresh clone or a fork may not have (or may name another host). The
links are made from ``repo_url`` instead, at the commit being built, unless
``GRIFFE_GIT_REMOTE_URL`` says otherwise. Outside a Git checkout there are no links.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Name the repository and its hosting service for griffe, from ``repo_url``."""
    repo_url = (config.repo_url or "").rstrip("/")
    host = urlsplit(repo_url).netloc
    if host == "github.com":
        os.environ.setdefault("GRIFFE_GIT_REMOTE_URL", repo_url)
        os.environ.setdefault("GRIFFE_GIT_SERVICE", "github")
    return config
