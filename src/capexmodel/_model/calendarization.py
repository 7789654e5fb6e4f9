"""Calendarization: restating amounts over one set of periods as an amount over another.

The record of one (`Calendarization`), which a `Fact` keeps; `calendarize` computes it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, final, get_args

import attrs

from capexmodel._errors import InvalidValueError, show
from capexmodel._lazy import public
from capexmodel._model.display import calendarization_view, html, markdown
from capexmodel._model.money import Money, _bounded, _divide, _intern_period, _money
from capexmodel._model.period import Period
from capexmodel._model.validators import instance_of, tuple_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from capexmodel.frames import Backend

__all__ = ["Calendarization", "CalendarizedPart"]

Method = Literal["months", "quarter-end"]


def _exact(value: Fraction, what: str) -> Decimal:
    """A Fraction as a Decimal: exact when it terminates, otherwise rounded once, to 28 significant digits."""
    quotient = _divide(Decimal(value.numerator), Decimal(value.denominator))
    return _bounded(quotient, lambda: what)


@public
@final
@attrs.frozen
class CalendarizedPart:
    """One input of a calendarization and the share of it that counts in the target.

    Attributes:
        amount: The input amount, a `Money` over its own period.
        counted: The months of the input that count, a `Period` inside the input's.

    Raises:
        InvalidValueError: `amount` is not a `Money`, `counted` not a `Period`, or
            `counted` does not lie inside the input's period.

    Examples:
        >>> import capexmodel as cm
        >>> quarter = cm.Money("5862", "USD", cm.Period.parse("2024-12/2025-02"))
        >>> part, = cm.calendarize([quarter], cm.CalendarMonth(2024, 12)).parts
        >>> part.share, part.contribution
        (Fraction(1, 3), Money('1954', 'USD', Period.parse('2024-12')))
    """

    amount: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """The input amount, over its own period."""

    counted: Period = attrs.field(validator=instance_of(Period, "a Period"))
    """The months of the input that count: those it shares with the target (by months),
    or all of them (by quarter-end)."""

    def __attrs_post_init__(self) -> None:
        """Check that the counted months are the input's."""
        if not self.amount.period.contains(self.counted):
            msg = f"the counted months {self.counted} must lie inside the input's period, {self.amount.period}"
            raise InvalidValueError(msg)

    @property
    def share(self) -> Fraction:
        """The share of the input that counts: its counted months over all its months.

        Examples:
            >>> import capexmodel as cm
            >>> quarter = cm.Money("5862", "USD", cm.Period.parse("2024-12/2025-02"))
            >>> cm.CalendarizedPart(quarter, cm.CalendarMonth(2024, 12)).share
            Fraction(1, 3)
        """
        return Fraction(self.counted.month_count, self.amount.period.month_count)

    @property
    def contribution(self) -> Money:
        """The share of the input that counts, as an amount over the counted months.

        Rounded to 28 significant digits only when the share does not terminate; the
        calendarized value is added up exactly and rounded once.

        Examples:
            >>> import capexmodel as cm
            >>> quarter = cm.Money("5862", "USD", cm.Period.parse("2024-12/2025-02"))
            >>> cm.CalendarizedPart(quarter, cm.CalendarMonth(2024, 12)).contribution
            Money('1954', 'USD', Period.parse('2024-12'))
        """
        value = _exact(Fraction(self.amount.amount) * self.share, f"{self.share} of {self.amount._brief()}")
        return _money(value, self.amount.currency, _intern_period(self.counted))


def _check_method(_: object, __: attrs.Attribute[Method], method: object) -> None:
    _validate_method(method)


def _validate_method(method: object) -> None:
    if method not in get_args(Method):
        msg = f"method must be 'months' or 'quarter-end', got {show(method)}"
        raise InvalidValueError(msg)


def _to_parts(value: Iterable[CalendarizedPart]) -> tuple[CalendarizedPart, ...]:
    return tuple_of(value, CalendarizedPart, "parts", non_empty=True)


@public
@final
@attrs.frozen
class Calendarization:
    """An amount restated over a `target` period, with the method and the inputs that made it.

    `calendarize` builds them.

    Attributes:
        value: The amount over the target period, a `Money`.
        target: The `Period` the amounts were restated over.
        method: ``"months"`` or ``"quarter-end"``.
        parts: One or more `CalendarizedPart`: the inputs that count, in order, each
            with the months counted.

    Raises:
        InvalidValueError: A field is not of its type, `method` is not one of the two,
            or `parts` is empty.

    Examples:
        >>> import capexmodel as cm
        >>> amazon = [cm.Money(amount, "USD", cm.CalendarQuarter(2024, q))
        ...           for q, amount in enumerate(["14925", "17620", "22620", "27834"], start=1)]
        >>> result = cm.calendarize(amazon, cm.CalendarYear(2024))
        >>> result.value
        Money('82999', 'USD', Period.parse('2024'))
        >>> result.method, [str(part.amount.period) for part in result.parts]
        ('months', ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'])
    """

    value: Money = attrs.field(validator=instance_of(Money, "a Money"))
    """The amount over the target period."""

    target: Period = attrs.field(validator=instance_of(Period, "a Period"))
    """The period the amounts were restated over."""

    method: Method = attrs.field(validator=_check_method)
    """``"months"`` or ``"quarter-end"``."""

    parts: tuple[CalendarizedPart, ...] = attrs.field(converter=_to_parts)
    """The inputs that count, in order, each with the months counted."""

    @property
    def covered(self) -> Period:
        """The months the counted inputs actually cover.

        The target itself by months; by quarter-end, the span of the inputs that end
        inside the target, which may start and end before it (Oracle's calendar 2024
        by quarter-end covers December 2023 to November 2024).

        Examples:
            >>> import capexmodel as cm
            >>> oracle = [cm.Money("1", "USD", cm.Period.parse(span))
            ...           for span in ("2023-12/2024-02", "2024-03/2024-05", "2024-06/2024-08", "2024-09/2024-11")]
            >>> cm.calendarize(oracle, cm.CalendarYear(2024), method="quarter-end").covered
            Period.parse('2023-12/2024-11')
        """
        return Period(self.parts[0].counted.start, self.parts[-1].counted.end)

    def __str__(self) -> str:
        """Describe the result and where it came from."""
        parts = ", ".join(
            str(part.amount.period) if part.share == 1 else f"{part.share} of {part.amount.period}"
            for part in self.parts
        )
        return f"{self.value} by {self.method} from {parts}"

    def _repr_html_(self) -> str:
        """The inputs, the months counted and their contributions, as an HTML table (for notebooks)."""
        return html(calendarization_view(self))

    def _repr_markdown_(self) -> str:
        """The inputs, the months counted and their contributions, as a Markdown table (for notebooks)."""
        return markdown(calendarization_view(self))

    def to_frame(self, backend: Backend = "pyarrow") -> Any:  # noqa: ANN401 -- the backend decides the type
        """The inputs, one row each, as a table of `backend`: a pyarrow Table, or a pandas or polars DataFrame.

        Columns: ``input_start``, ``input_end``, ``currency``, ``input_amount``,
        ``counted_start``, ``counted_end``, ``share`` (an exact fraction as text, such
        as ``1/3``) and ``contribution`` (exact decimal columns; a contribution is
        rounded to 28 significant digits only when its share does not terminate).
        Needs the ``frames`` extra.

        Args:
            backend: ``"pyarrow"``, ``"pandas"`` or ``"polars"``.

        Returns:
            The table, of the backend's own type.

        Raises:
            InvalidValueError: `backend` is not one of those, or its package is not installed.

        Examples:
            >>> import capexmodel as cm
            >>> quarters = [cm.Money("9", "USD", cm.Period.parse(label)) for label in ("2024-03/2024-05", "2024-06/2024-08")]
            >>> cm.calendarize(quarters, cm.Period.parse("2024-04/2024-06")).to_frame("polars")["share"].to_list()
            ['2/3', '1/3']
        """  # noqa: E501
        from capexmodel.frames._layout import calendarization_table  # noqa: PLC0415 -- tables load on first use

        return calendarization_table(self, backend)
