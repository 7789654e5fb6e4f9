"""Validators and converters shared by the attrs classes: one message for one mistake."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from capexmodel._errors import InvalidValueError, show

if TYPE_CHECKING:
    from collections.abc import Callable

    import attrs

_T = TypeVar("_T")


def instance_of(
    kind: type | tuple[type, ...], what: str, *, optional: bool = False
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """An attrs validator that refuses anything but `kind` (or None, when `optional`).

    Examples:
        >>> import capexmodel as cm
        >>> cm.Fact(None, "capex", cm.Money(1, "USD", cm.CalendarYear(2024)))
        Traceback (most recent call last):
        ...
        capexmodel.InvalidValueError: company must be a capexmodel.Company, got None
    """

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind) and not (optional and value is None):
            msg = f"{attribute.name} must be {what}{' or None' if optional else ''}, got {show(value)}"
            raise InvalidValueError(msg)

    return check


def tuple_of(value: object, kind: type[_T], what: str, *, non_empty: bool = False) -> tuple[_T, ...]:
    """`value`, a list or tuple of `kind`, as a tuple; anything else is refused, naming `what`.

    Examples:
        >>> from capexmodel._model.validators import tuple_of
        >>> tuple_of(["AMZN"], str, "tickers")
        ('AMZN',)
    """
    items = tuple(value) if isinstance(value, tuple | list) else None
    if items is None or (non_empty and not items):
        article = "a non-empty" if non_empty else "a"
        msg = f"{what} must be {article} list or tuple of {kind.__name__}, got {show(value)}"
        raise InvalidValueError(msg)
    for item in items:
        if not isinstance(item, kind):
            msg = f"{what} must hold {kind.__name__} values, got {show(item)}"
            raise InvalidValueError(msg)
    return items


def list_of(value: object, kind: type[_T], caller: str) -> list[_T]:
    """The items of an iterable that must all be `kind`; `caller` names the function in messages.

    Examples:
        >>> from capexmodel._model.validators import list_of
        >>> list_of(("a", "b"), str, "example()")
        ['a', 'b']
    """
    try:
        items: list[object] = list(value)  # type: ignore[call-overload]
    except TypeError:
        msg = f"{caller} takes an iterable of {kind.__name__}, got {show(value)}"
        raise InvalidValueError(msg) from None
    checked: list[_T] = []
    for item in items:
        if not isinstance(item, kind):
            msg = f"{caller} takes {kind.__name__} values, got {show(item)}"
            raise InvalidValueError(msg)
        checked.append(item)
    return checked
