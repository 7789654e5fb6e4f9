"""Indicators computed from facts: the rule table, ratios and growth, bubble risk, chips, projections.

Pure functions over the model's values: `rules` states each indicator once as data
(inputs, guards, formula), `ratios` applies it to scalars, `risk` combines signals,
`chips` counts H100-equivalents, `projections` spreads plans by the article's rules.
This layer imports the package root, ``_model`` and ``_fx``; a function may load
``capexmodel.frames`` to hand it a table, as the layering test's list of such imports says.
"""
