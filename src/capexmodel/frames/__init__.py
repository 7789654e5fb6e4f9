"""Facts as tables, and the indicators computed over whole tables.

Needs the ``frames`` extra (``pip install "capexmodel[frames]"``: narwhals and
pyarrow); pandas, polars and Dask are used when installed. The facts table has one
row per fact:

| column | type | holds |
|---|---|---|
| ``company`` | string | the company id |
| ``metric`` | string | the metric's name |
| ``period_start`` | date | the first day of the period |
| ``period_end`` | date | the last day of the period |
| ``currency`` | string | the ISO 4217 code |
| ``amount`` | decimal(38, s), or string | the exact amount |
| ``basis`` | string | what the number covers ("" for nothing special) |
| ``status`` | string | reported, derived, guidance or estimate |
| ``sources`` | string | the source ids, separated by spaces |
| ``market`` | string or null | the market of a revenue split |
| ``id`` | integer | the row's number, from 1, by which ``inputs`` cite it |
| ``inputs`` | string | the ids of a derived fact's inputs, separated by spaces |
| ``derivation`` | string or null | convert, calendarize, calendarize quarter-end, spread or share-of-revenue |
| ``rule`` | string or null | a projection's rule; a conversion's exact factor (``100/723``) |
| ``note`` | string | how the figure was obtained ("" for nothing to say) |
| ``counted_as_start``, ``counted_as_end`` | date or null | the period the source counts the figure in, if not its own |
| ``segment`` | string or null | the part of the company a figure covers, if not the whole |
| ``input_only`` | boolean or null | true for a row that is only another's input (an SEC six months) |

The columns from ``id`` on (`PROVENANCE_COLUMNS`) may be left out of a table read
with `from_frame`; a derived fact's inputs are always written as rows of their own.

Amounts are exact: a decimal column whose scale is the largest number of decimal
places among them, or, when some amount needs more than 38 digits at that scale
(the most a decimal column holds), a string column of the exact decimals.

The table functions (`convert`, `calendarize`, `totals`, `ratios`,
`year_over_year`, `bubble_signals`) read a table in this layout (``basis``,
``status``, ``sources`` and ``market`` may be left out) from polars, pandas,
pyarrow or Dask, and give back a table of the same kind. Every table is checked
first: a null in a key column, or a column or cell of the wrong type, is a
`DataFileError` naming the row and column; currency codes are read as `Money`
reads them ("usd" is USD). Their amounts and indicators are ``decimal(38, 18)``:
each is the exact value, rounded once, half to even, to 18 decimal places. Where a
scalar function would raise because a value is undefined, the table holds a null
and a ``reason``; a missing exchange rate, an unknown company or a total across
currencies still raises.

Examples:
    >>> import capexmodel as cm
    >>> from capexmodel import frames
    >>> table = frames.to_frame(cm.load_dataset(), backend="pyarrow")
    >>> table.num_rows, table.schema.field("amount").type
    (112, Decimal128Type(decimal128(38, 0)))
"""

from capexmodel._lazy import name_after
from capexmodel.frames._engine import SCALE
from capexmodel.frames._indicators import (
    bubble_signals,
    calendarize,
    collect_all,
    convert,
    ratios,
    totals,
    year_over_year,
)
from capexmodel.frames._layout import (
    COLUMNS,
    PROVENANCE_COLUMNS,
    Backend,
    facts_from_frame,
    facts_table,
    from_frame,
    to_frame,
)

__all__ = [
    "COLUMNS",
    "PROVENANCE_COLUMNS",
    "SCALE",
    "Backend",
    "bubble_signals",
    "calendarize",
    "collect_all",
    "convert",
    "facts_from_frame",
    "facts_table",
    "from_frame",
    "ratios",
    "to_frame",
    "totals",
    "year_over_year",
]

# Name the functions after the package users import them from, so that reprs, docs and
# pickles say `capexmodel.frames.convert`, never the private module they are written in.
for _function in (
    bubble_signals,
    calendarize,
    collect_all,
    convert,
    facts_from_frame,
    facts_table,
    from_frame,
    ratios,
    to_frame,
    totals,
    year_over_year,
):
    name_after(_function, __name__)
del _function
