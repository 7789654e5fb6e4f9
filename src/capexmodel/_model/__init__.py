"""The value model: money, periods, fiscal calendars, currencies, companies, facts and their provenance.

Immutable, typed values and what reads them from text (`reading`, `scale`), checks them
(`validators`) and shows them (`display`). It imports only the package root
(`capexmodel._errors`, `capexmodel._context`, `capexmodel._lazy`), never a layer above.
The records of how a number was derived are values too, so they live here:
`Projection` (in `provenance`), `Conversion` and the `ExchangeRate` values it names (in
`conversion`), `Calendarization` (in `calendarization`); a `Fact` keeps one, checked
with ``isinstance``. What computes them sits above: `RateTable` and `calendarize` in
``_fx``, the projections in ``_indicators``. Reading numbers and amounts from text
(`parse_number`, `parse_money`) is here as well: the data loader (``_sources``) reads
its files with it, and the formatter (``_present``) reads its own output back with it.
"""
