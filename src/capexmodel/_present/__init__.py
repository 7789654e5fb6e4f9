"""What a reader sees: formatting, the report, charts, the HTML page, the command and its messages.

`format` writes amounts for a locale, `report` computes the article's comparison,
`charts` draws it, `page` writes the HTML report, `cli` is the ``capexmodel``
command, and `messages` translates every text through the catalogs in ``locale/``.
The top layer: it may import every layer below (the package root, ``_model``, ``_fx``,
``_indicators``, ``_sources``, ``capexmodel.frames``); nothing below imports it.
"""
