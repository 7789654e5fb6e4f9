"""Chip compute: accelerator models, purchases, and H100-equivalents on a named basis."""

from __future__ import annotations

import re
from collections import abc
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, final

import attrs

from capexmodel._company import Company
from capexmodel._display import h100_text
from capexmodel._errors import InvalidValueError, UndefinedIndicatorError, UnknownChipError, show
from capexmodel._lazy import public
from capexmodel._money import _divide, _to_decimal
from capexmodel._period import Period
from capexmodel._provenance import Source
from capexmodel._units import units
from capexmodel._validators import instance_of, list_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    import pint

__all__ = ["ChipModel", "ChipPurchase", "H100Equivalents", "chip", "h100_equivalents"]

Precision = Literal["bf16", "fp8"]


def _to_tflops(value: object) -> Decimal | None:
    if value is None:
        return None
    tflops = _to_decimal(value, "a peak throughput")
    if tflops <= 0:
        msg = f"a peak throughput is positive, got {show(value)}"
        raise InvalidValueError(msg)
    return tflops


def _check_name(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        msg = f"{attribute.name} must be a non-empty string without surrounding spaces, got {show(value)}"
        raise InvalidValueError(msg)


@public
@final
@attrs.frozen
class ChipModel:
    """An accelerator: its name, vendor, family and dense peak tensor throughput per precision.

    Throughputs are dense (without sparsity) peaks from the vendor's datasheet, in
    TFLOP/s; `throughput` gives them as pint quantities. A precision the chip does
    not support is None.

    Examples:
        >>> import capexmodel as cm
        >>> h20 = cm.chip("H20")
        >>> h20.vendor, h20.family, h20.bf16_tflops
        ('NVIDIA', 'Hopper', Decimal('148'))
        >>> print(h20.throughput("bf16").to("FLOP/s"))
        1.48E+14 FLOP / second
    """

    name: str = attrs.field(validator=_check_name)
    """The short name the catalogue knows it by: ``"H100"``, ``"H20"``."""

    vendor: str = attrs.field(validator=_check_name)
    """Who makes it."""

    family: str = attrs.field(validator=_check_name)
    """The architecture: ``"Hopper"``, ``"Ampere"``, ``"Blackwell"``."""

    bf16_tflops: Decimal | None = attrs.field(converter=_to_tflops)
    """Dense peak BF16 tensor throughput, TFLOP/s."""

    fp8_tflops: Decimal | None = attrs.field(converter=_to_tflops)
    """Dense peak FP8 tensor throughput, TFLOP/s; None where FP8 is not supported."""

    memory: str = attrs.field(default="", validator=instance_of(str, "a string"))
    """Memory, as the datasheet gives it: ``"80 GB HBM3"``."""

    def tflops(self, precision: Precision) -> Decimal:
        """The dense peak at `precision` (``"bf16"`` or ``"fp8"``), TFLOP/s.

        A precision the chip does not support is `UndefinedIndicatorError`.
        """
        if precision not in ("bf16", "fp8"):
            msg = f"precision must be 'bf16' or 'fp8', got {show(precision)}"
            raise InvalidValueError(msg)
        value = self.bf16_tflops if precision == "bf16" else self.fp8_tflops
        if value is None:
            msg = f"the {self.name} has no {precision.upper()} peak in its datasheet"
            raise UndefinedIndicatorError(msg)
        return value

    def throughput(self, precision: Precision) -> pint.Quantity[Decimal]:
        """The dense peak at `precision` as a pint quantity in TFLOP/s (pint loads on first use)."""
        peak = self.tflops(precision)
        return units().Quantity(peak, "TFLOP/s")


#: NVIDIA datasheets: dense peak tensor throughput (sparsity doubles it).
_CATALOGUE: dict[str, ChipModel] = {
    model.name.casefold(): model
    for model in (
        ChipModel("H100", "NVIDIA", "Hopper", 989, 1979, "80 GB HBM3 (SXM)"),
        ChipModel("H200", "NVIDIA", "Hopper", 989, 1979, "141 GB HBM3e (SXM)"),
        ChipModel("H800", "NVIDIA", "Hopper", 989, 1979, "80 GB (SXM)"),
        ChipModel("H20", "NVIDIA", "Hopper", 148, 296, "96 GB HBM3"),
        ChipModel("A100", "NVIDIA", "Ampere", 312, None, "80 GB HBM2e"),
        ChipModel("B200", "NVIDIA", "Blackwell", 2250, 4500, "180-192 GB HBM3e"),
    )
}


@public
def chip(name: str) -> ChipModel:
    """Look a chip up in the built-in catalogue by name (case does not matter).

    The catalogue holds the H100, H200, H800 and H20 (Hopper), the A100 (Ampere)
    and the B200 (Blackwell), with NVIDIA's datasheet peaks.

    Examples:
        >>> import capexmodel as cm
        >>> cm.chip("h100").bf16_tflops
        Decimal('989')
    """
    found = _CATALOGUE.get(name.casefold()) if isinstance(name, str) else None
    if found is None:
        known = ", ".join(sorted(model.name for model in _CATALOGUE.values()))
        msg = f"unknown chip {show(name)}: the catalogue knows {known}"
        raise UnknownChipError(msg)
    return found


_COMPANY_ID = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def _to_buyer(value: Company | str) -> Company | str:
    if isinstance(value, Company) or (isinstance(value, str) and _COMPANY_ID.fullmatch(value)):
        return value
    msg = f"buyer must be a Company or a company id such as 'bytedance', got {show(value)}"
    raise InvalidValueError(msg)


def _to_chip(value: ChipModel | str) -> ChipModel:
    return value if isinstance(value, ChipModel) else chip(value)


def _check_quantity(_: object, __: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"a quantity is a whole number of chips, zero or more, got {show(value)}"
        raise InvalidValueError(msg)


@public
@final
@attrs.frozen
class ChipPurchase:
    """Chips bought: who bought how many of which model, over which period.

    Examples:
        >>> import capexmodel as cm
        >>> purchase = cm.ChipPurchase("bytedance", "H20", 230_000, cm.CalendarYear(2024))
        >>> purchase.chip.name, purchase.buyer_id
        ('H20', 'bytedance')
    """

    buyer: Company | str = attrs.field(converter=_to_buyer)
    """The buyer: a `Company`, or its id."""

    chip: ChipModel = attrs.field(converter=_to_chip)
    """The chip model (a `ChipModel`, or its name in the catalogue)."""

    quantity: int = attrs.field(validator=_check_quantity)
    """How many chips: a whole number, zero or more."""

    period: Period = attrs.field(validator=instance_of(Period, "a capexmodel.Period"))
    """When they were bought."""

    source: Source | None = attrs.field(
        default=None, validator=instance_of(Source, "a capexmodel.Source", optional=True)
    )
    """Where the figure comes from."""

    @property
    def buyer_id(self) -> str:
        """The buyer's company id."""
        return self.buyer.id if isinstance(self.buyer, Company) else self.buyer


def _read_only(value: object, name: str) -> Mapping[str, Fraction]:
    """A read-only copy of a mapping from names to exact fractions."""
    if not isinstance(value, abc.Mapping):
        msg = f"{name} must be a mapping from names to Fractions, got {show(value)}"
        raise InvalidValueError(msg)
    items = dict(value)
    for key, number in items.items():
        if not isinstance(key, str) or not isinstance(number, Fraction):
            msg = f"{name} must map names to Fractions, got {show(key)}: {show(number)}"
            raise InvalidValueError(msg)
    return MappingProxyType(items)


def _to_factors(value: object) -> Mapping[str, Fraction]:
    return _read_only(value, "factors")


def _to_by_buyer(value: object) -> Mapping[str, Fraction]:
    return _read_only(value, "by_buyer")


@public
@final
@attrs.frozen
class H100Equivalents:
    """A count of chips expressed as H100s, on a stated basis.

    Examples:
        >>> import capexmodel as cm
        >>> result = cm.h100_equivalents([cm.ChipPurchase("tencent", "H20", 230_000, cm.CalendarYear(2024))])
        >>> result.basis, round(result.value)
        ('bf16', 34419)
    """

    value: Decimal = attrs.field(validator=instance_of(Decimal, "a Decimal"))
    """The number of H100-equivalents (exact when it terminates, otherwise rounded to 28 significant digits)."""

    exact: Fraction = attrs.field(validator=instance_of(Fraction, "a Fraction"))
    """The same number as an exact fraction."""

    basis: str = attrs.field(validator=instance_of(str, "a string"))
    """``"bf16"`` or ``"fp8"`` (datasheet peaks over the H100's), or ``"explicit"`` (factors given)."""

    factors: Mapping[str, Fraction] = attrs.field(hash=False, converter=_to_factors)
    """The factor used for each chip model counted: its H100-equivalents per chip (read-only)."""

    by_buyer: Mapping[str, Fraction] = attrs.field(hash=False, converter=_to_by_buyer)
    """The exact H100-equivalents of each buyer, by company id (read-only)."""

    def __str__(self) -> str:
        """The count and its basis, then the count of each buyer and the factor of each chip."""
        return h100_text(self)

    def __reduce__(self) -> tuple[type[H100Equivalents], tuple[object, ...]]:
        """Pickle and copy through the constructor (a read-only mapping cannot be pickled as it is)."""
        return (H100Equivalents, (self.value, self.exact, self.basis, dict(self.factors), dict(self.by_buyer)))


def _to_factor(name: str, value: object) -> Fraction:
    if isinstance(value, Fraction):
        factor = value
    else:
        accepted = "an int, a Decimal, a Fraction or a numeric string"
        factor = Fraction(_to_decimal(value, f"the factor for {name}", accepted))
    if factor < 0:
        msg = f"the factor for {name} must not be negative, got {show(value)}"
        raise InvalidValueError(msg)
    return factor


@public
def h100_equivalents(
    purchases: Iterable[ChipPurchase], basis: Precision | Mapping[str, object] = "bf16"
) -> H100Equivalents:
    """Count chips as H100s: ``Σ quantity × factor(chip)``.

    The factor is the chip's dense datasheet peak over the H100's at the basis
    precision (``"bf16"`` or ``"fp8"``), or, when `basis` is a mapping from chip name
    to factor, the factor given (the H100 counts 1 unless given). The article's
    "an H20 is a third of an H100" is ``basis={"H20": Fraction(1, 3)}``; on datasheet
    peaks an H20 is 148/989 of an H100, about 0.15.

    Edge cases: a chip without a peak at the basis precision, or without a factor in
    an explicit basis, is `UndefinedIndicatorError`; quantities are whole numbers.

    Examples:
        >>> import capexmodel as cm
        >>> from fractions import Fraction
        >>> bytedance = [cm.ChipPurchase("bytedance", "H20", 230_000, cm.CalendarYear(2024))]
        >>> round(cm.h100_equivalents(bytedance, basis={"H20": Fraction(1, 3)}).value)
        76667
        >>> round(cm.h100_equivalents(bytedance, basis="bf16").value)
        34419
    """
    items = list_of(purchases, ChipPurchase, "h100_equivalents()")
    factor_of = _factor_rule(basis)
    models: dict[str, ChipModel] = {}
    for item in items:
        if models.setdefault(item.chip.name, item.chip) != item.chip:
            msg = f"two different chip models are called {item.chip.name}: {models[item.chip.name]} and {item.chip}"
            raise InvalidValueError(msg)
    factors = {name: factor_of(model) for name, model in models.items()}
    by_buyer: dict[str, Fraction] = {}
    for item in items:
        by_buyer[item.buyer_id] = by_buyer.get(item.buyer_id, Fraction(0)) + item.quantity * factors[item.chip.name]
    exact = sum(by_buyer.values(), Fraction(0))
    value = _divide(Decimal(exact.numerator), Decimal(exact.denominator))
    label = basis if isinstance(basis, str) else "explicit"
    return H100Equivalents(value, exact, label, factors, by_buyer)


def _factor_rule(basis: object) -> Callable[[ChipModel], Fraction]:
    if basis in ("bf16", "fp8"):
        precision: Precision = "bf16" if basis == "bf16" else "fp8"
        reference = Fraction(_CATALOGUE["h100"].tflops(precision))
        return lambda model: Fraction(model.tflops(precision)) / reference
    if isinstance(basis, str):
        msg = f"basis must be 'bf16', 'fp8' or a mapping from chip name to factor, got {show(basis)}"
        raise InvalidValueError(msg)
    if not hasattr(basis, "items"):
        msg = f"basis must be 'bf16', 'fp8' or a mapping from chip name to factor, got {show(basis)}"
        raise InvalidValueError(msg)
    given: dict[str, Fraction] = {"h100": Fraction(1)}
    for name, value in basis.items():
        if not isinstance(name, str):
            msg = f"an explicit basis maps chip names to factors, got the key {show(name)}"
            raise InvalidValueError(msg)
        given[name.casefold()] = _to_factor(name, value)

    def factor(model: ChipModel) -> Fraction:
        if model.name.casefold() not in given:
            msg = f"the explicit basis gives no factor for the {model.name}: add it, such as {{'{model.name}': 1}}"
            raise UndefinedIndicatorError(msg)
        return given[model.name.casefold()]

    return factor
