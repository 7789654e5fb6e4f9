"""Currency conversion and calendarization: rates, routes between currencies, restating periods.

`RateTable` finds the route (direct, inverse, cross, month-weighted blend) and builds
the `Conversion` that records it; `calendarize` restates fiscal periods over calendar
ones and builds the `Calendarization`; `ecb_rates` reads the ECB's reference rates. The
records they build are values of the model (``_model``), which a `Fact` keeps. This
layer imports the package root and ``_model`` only.
"""
