"""Chip compute: accelerator models, purchases, and H100-equivalents on a named basis.

A chip's figures are exact Decimals in the unit their field names (``bf16_tflops``,
``memory_gb``, ``bandwidth_tb_per_s``, ``power_watts``); its methods give them as pint
quantities (`ChipModel.throughput`, `ChipModel.memory_size`, `ChipModel.bandwidth`,
`ChipModel.power`), and pint loads only then.
"""

from __future__ import annotations

import re
from collections import abc
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, final

import attrs

from capexmodel._errors import InvalidValueError, UndefinedIndicatorError, UnknownChipError, show
from capexmodel._lazy import public
from capexmodel._model.company import Company
from capexmodel._model.display import h100_text
from capexmodel._model.money import _divide, _to_decimal
from capexmodel._model.period import Period
from capexmodel._model.provenance import Source
from capexmodel._model.units import units
from capexmodel._model.validators import instance_of, list_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    import pint

__all__ = ["ChipModel", "ChipPurchase", "H100Equivalents", "chip", "h100_equivalents"]

Precision = Literal["bf16", "fp8"]
Basis = Literal["bf16", "fp8", "bandwidth"]


def _positive(value: object, what: str) -> Decimal | None:
    """`value` as an exact positive Decimal, or None: `what` names the figure in errors."""
    if value is None:
        return None
    number = _to_decimal(value, what)
    if number <= 0:
        msg = f"{what} is positive, got {show(value)}"
        raise InvalidValueError(msg)
    return number


def _to_tflops(value: Decimal | int | str | None) -> Decimal | None:
    return _positive(value, "a peak throughput")


def _to_gb(value: Decimal | int | str | None) -> Decimal | None:
    return _positive(value, "a memory size")


def _to_tb_per_s(value: Decimal | int | str | None) -> Decimal | None:
    return _positive(value, "a memory bandwidth")


def _to_watts(value: Decimal | int | str | None) -> Decimal | None:
    return _positive(value, "a board power")


def _check_name(_: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        msg = f"{attribute.name} must be a non-empty string without surrounding spaces, got {show(value)}"
        raise InvalidValueError(msg)


@public
@final
@attrs.frozen
class ChipModel:
    """An accelerator: its name, vendor, family, peak throughput, memory, bandwidth and power.

    Every figure is an exact Decimal (given as an int, a Decimal or a numeric string)
    in the unit its name says, from the vendor's datasheet (`source`): throughputs
    are dense (without sparsity) peaks in TFLOP/s, memory in GB (10**9 bytes, as
    datasheets write it), memory bandwidth in TB/s (10**12 bytes a second) and board
    power (TDP) in watts. A figure the datasheet
    does not give, or a precision the chip does not support, is None. The methods
    `throughput`, `memory_size`, `bandwidth` and `power` give the figures as pint
    quantities; pint loads on the first call, and not before.

    Attributes:
        name: The short name the catalogue knows it by: ``"H100"``, ``"H20"``.
        vendor: Who makes it.
        family: The architecture: ``"Hopper"``, ``"Ampere"``, ``"Blackwell"``.
        bf16_tflops: Dense peak BF16 tensor throughput, TFLOP/s; None if unknown.
        fp8_tflops: Dense peak FP8 tensor throughput, TFLOP/s; None where FP8 is not supported.
        memory: Memory, as the datasheet gives it (``"80 GB HBM3"``); "" by default.
        memory_gb: Memory size, GB; None (unknown) by default.
        bandwidth_tb_per_s: Peak memory bandwidth, TB/s; None (unknown) by default.
        power_watts: Maximum board power (TDP), watts; None (unknown) by default.
        source: Where the figures come from, a `Source`; None by default.

    Raises:
        InvalidValueError: A name is empty or has surrounding spaces, a figure is not
            positive, `memory` is not a string or `source` not a `Source`.
        InvalidAmountError: A figure is not an exact number.

    Examples:
        >>> import capexmodel as cm
        >>> h20 = cm.chip("H20")
        >>> h20.vendor, h20.family, h20.bf16_tflops, h20.bandwidth_tb_per_s
        ('NVIDIA', 'Hopper', Decimal('148'), Decimal('4.0'))
        >>> print(h20.throughput("bf16").to("FLOP/s"))
        1.48E+14 FLOP / second
        >>> print(h20.bandwidth().to("GB/s"))
        4.0E+3 gigabyte / second
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

    memory_gb: Decimal | None = attrs.field(default=None, converter=_to_gb)
    """Memory size, GB (10**9 bytes); None if unknown."""

    bandwidth_tb_per_s: Decimal | None = attrs.field(default=None, converter=_to_tb_per_s)
    """Peak memory bandwidth, TB/s (10**12 bytes a second); None if unknown."""

    power_watts: Decimal | None = attrs.field(default=None, converter=_to_watts)
    """Maximum board power (TDP), watts; None if unknown."""

    source: Source | None = attrs.field(
        default=None, eq=False, validator=instance_of(Source, "a capexmodel.Source", optional=True)
    )
    """Where the figures come from (not compared: two models with the same figures are equal)."""

    def tflops(self, precision: Precision) -> Decimal:
        """The dense peak at `precision` (``"bf16"`` or ``"fp8"``), TFLOP/s.

        Args:
            precision: ``"bf16"`` or ``"fp8"``.

        Returns:
            The peak, in TFLOP/s.

        Raises:
            InvalidValueError: `precision` is not one of the two.
            UndefinedIndicatorError: The chip has no peak at that precision (the A100 at FP8).

        Examples:
            >>> import capexmodel as cm
            >>> cm.chip("H20").tflops("fp8")
            Decimal('296')
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
        """The dense peak at `precision` as a pint quantity in TFLOP/s (pint loads on first use).

        Args:
            precision: ``"bf16"`` or ``"fp8"``.

        Returns:
            The peak, in TFLOP/s.

        Raises:
            InvalidValueError: `precision` is not one of the two.
            UndefinedIndicatorError: The chip has no peak at that precision.

        Examples:
            >>> import capexmodel as cm
            >>> print(cm.chip("H100").throughput("bf16"))
            989 teraFLOP / second
        """
        peak = self.tflops(precision)
        return units().Quantity(peak, "TFLOP/s")

    def memory_size(self) -> pint.Quantity[Decimal]:
        """The memory size as a pint quantity in GB.

        Returns:
            The memory size, in GB (10**9 bytes).

        Raises:
            UndefinedIndicatorError: The memory size is not known (`memory_gb` is None).

        Examples:
            >>> import capexmodel as cm
            >>> print(cm.chip("H20").memory_size())
            96 gigabyte
        """
        return units().Quantity(_known(self, "memory_gb", "memory size"), "GB")

    def bandwidth(self) -> pint.Quantity[Decimal]:
        """The peak memory bandwidth as a pint quantity in TB/s.

        Returns:
            The bandwidth, in TB/s (10**12 bytes a second).

        Raises:
            UndefinedIndicatorError: The bandwidth is not known (`bandwidth_tb_per_s` is None).

        Examples:
            >>> import capexmodel as cm
            >>> print(cm.chip("A100").bandwidth())
            2.039 terabyte / second
        """
        return units().Quantity(_known(self, "bandwidth_tb_per_s", "memory bandwidth"), "TB/s")

    def power(self) -> pint.Quantity[Decimal]:
        """The maximum board power (TDP) as a pint quantity in watts.

        Returns:
            The board power, in watts.

        Raises:
            UndefinedIndicatorError: The board power is not known (`power_watts` is None).

        Examples:
            >>> import capexmodel as cm
            >>> print(cm.chip("H100").power().to("kW"))
            0.700 kilowatt
        """
        return units().Quantity(_known(self, "power_watts", "board power"), "W")


def _known(model: ChipModel, field: Literal["memory_gb", "bandwidth_tb_per_s", "power_watts"], what: str) -> Decimal:
    """A figure of `model`; None (not known) is `UndefinedIndicatorError`, naming the figure and the field."""
    value: Decimal | None = getattr(model, field)
    if value is None:
        msg = f"the {model.name} has no {what}: its {field} is None"
        raise UndefinedIndicatorError(msg)
    return value


_DENSE = "dense peaks (sparsity doubles them)"

#: What the catalogue holds, from NVIDIA's datasheets: name, family, dense peak BF16
#: and FP8 tensor throughput (TFLOP/s), memory as written, memory (GB), memory
#: bandwidth (TB/s), maximum board power (W), and the document with a note on how
#: each figure was read.
_DATASHEETS: tuple[tuple[str, str, int, int | None, str, int, str, int, str, str], ...] = (
    ("H100", "Hopper", 989, 1979, "80 GB HBM3 (SXM)", 80, "3.35", 700, "H100 Tensor Core GPU datasheet",
     f"the H100 SXM; {_DENSE}"),
    ("H200", "Hopper", 989, 1979, "141 GB HBM3e (SXM)", 141, "4.8", 700, "H200 Tensor Core GPU datasheet",
     f"the H200 SXM, its power configurable up to 700 W; {_DENSE}"),
    ("H800", "Hopper", 989, 1979, "80 GB (SXM)", 80, "3.35", 700, "H800 Tensor Core GPU datasheet",
     f"the H800 SXM, an H100 with a slower interconnect; {_DENSE}"),
    ("H20", "Hopper", 148, 296, "96 GB HBM3", 96, "4.0", 400, "H20 Tensor Core GPU specifications",
     f"NVIDIA's figures for the H20, as widely published; {_DENSE}"),
    ("A100", "Ampere", 312, None, "80 GB HBM2e", 80, "2.039", 400, "A100 Tensor Core GPU datasheet",
     "the A100 80GB SXM (2,039 GB/s); a dense peak, and no FP8"),
    ("B200", "Blackwell", 2250, 4500, "180-192 GB HBM3e", 180, "8", 1000, "DGX B200 and HGX B200 datasheets",
     f"per GPU: 1,440 GB and 64 TB/s over eight (announced as 192 GB); {_DENSE} at 1,000 W"),
)  # fmt: skip

_CATALOGUE: dict[str, ChipModel] = {
    name.casefold(): ChipModel(
        name, "NVIDIA", family, bf16, fp8, memory, gb, bandwidth, watts, Source("NVIDIA", title, note=note)
    )
    for name, family, bf16, fp8, memory, gb, bandwidth, watts, title, note in _DATASHEETS
}


@public
def chip(name: str) -> ChipModel:
    """Look a chip up in the built-in catalogue by name (case does not matter).

    The catalogue holds the H100, H200, H800 and H20 (Hopper), the A100 (Ampere)
    and the B200 (Blackwell), with NVIDIA's datasheet peaks.

    Args:
        name: The chip's name, such as ``"H100"`` or ``"h20"``.

    Returns:
        The chip's model, with its datasheet figures.

    Raises:
        UnknownChipError: The catalogue has no chip of that name.

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

    Attributes:
        buyer: The buyer: a `Company`, or its id.
        chip: The chip model: a `ChipModel`, or its name in the catalogue (see `chip`).
        quantity: How many chips: a whole number, zero or more.
        period: When they were bought, a `Period`.
        source: Where the figure comes from, a `Source`; None by default.

    Raises:
        InvalidValueError: `buyer` is neither a `Company` nor a company id, `quantity` is
            not a whole number of zero or more, `period` is not a `Period` or `source`
            not a `Source`.
        UnknownChipError: `chip` names no chip of the catalogue.

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
        """The buyer's company id.

        Examples:
            >>> import capexmodel as cm
            >>> tencent = cm.Company(id="tencent", name_en="Tencent", name_zh="腾讯", region="CN", currency="CNY")
            >>> cm.ChipPurchase(tencent, "H20", 230_000, cm.CalendarYear(2024)).buyer_id
            'tencent'
        """
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


def _to_factors(value: Mapping[str, Fraction]) -> Mapping[str, Fraction]:
    return _read_only(value, "factors")


def _to_by_buyer(value: Mapping[str, Fraction]) -> Mapping[str, Fraction]:
    return _read_only(value, "by_buyer")


@public
@final
@attrs.frozen
class H100Equivalents:
    """A count of chips expressed as H100s, on a stated basis.

    `h100_equivalents` computes them.

    Attributes:
        value: The number of H100-equivalents, a `Decimal`.
        exact: The same number as an exact `Fraction`.
        basis: ``"bf16"``, ``"fp8"``, ``"bandwidth"`` or ``"explicit"``.
        factors: The factor used for each chip model counted, by name (a mapping to `Fraction`).
        by_buyer: The exact H100-equivalents of each buyer, by company id (a mapping to `Fraction`).

    Raises:
        InvalidValueError: A field is not of its type.

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
    """``"bf16"`` or ``"fp8"`` (datasheet peaks over the H100's), ``"bandwidth"`` (memory
    bandwidth over the H100's), or ``"explicit"`` (factors given)."""

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
    purchases: Iterable[ChipPurchase], basis: Basis | Mapping[str, object] = "bf16"
) -> H100Equivalents:
    """Count chips as H100s: ``Σ quantity × factor(chip)``.

    The factor is the chip's dense datasheet peak over the H100's at the basis
    precision (``"bf16"`` or ``"fp8"``: training, which is bound by compute), its
    memory bandwidth over the H100's (``"bandwidth"``: inference, whose token
    generation is bound by memory bandwidth), or, when `basis` is a mapping from chip
    name to factor, the factor given (the H100 counts 1 unless given). The article's
    "an H20 is a third of an H100" is ``basis={"H20": Fraction(1, 3)}``; on datasheet
    peaks an H20 is 148/989 of an H100, about 0.15, and on memory bandwidth
    4.0/3.35 = 80/67, about 1.19. Every factor is an exact ratio.

    Args:
        purchases: The purchases to count.
        basis: ``"bf16"``, ``"fp8"``, ``"bandwidth"``, or a mapping from chip name to
            its H100-equivalents per chip (an int, a `Decimal`, a `Fraction` or a
            numeric string).

    Returns:
        The count, with its basis, the factor of each chip and the count of each buyer.

    Raises:
        InvalidValueError: `purchases` is not an iterable of `ChipPurchase`, two chip
            models share a name, or `basis` is none of the above or gives a negative factor.
        InvalidAmountError: A factor of an explicit basis is not an exact number.
        UndefinedIndicatorError: A chip has no peak at the basis precision, no memory
            bandwidth, or no factor in an explicit basis.

    Examples:
        >>> import capexmodel as cm
        >>> from fractions import Fraction
        >>> bytedance = [cm.ChipPurchase("bytedance", "H20", 230_000, cm.CalendarYear(2024))]
        >>> round(cm.h100_equivalents(bytedance, basis={"H20": Fraction(1, 3)}).value)
        76667
        >>> round(cm.h100_equivalents(bytedance, basis="bf16").value)
        34419
        >>> round(cm.h100_equivalents(bytedance, basis="bandwidth").value)
        274627
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
    if basis == "bandwidth":
        bandwidth = Fraction(_known(_CATALOGUE["h100"], "bandwidth_tb_per_s", "memory bandwidth"))
        return lambda model: Fraction(_known(model, "bandwidth_tb_per_s", "memory bandwidth")) / bandwidth
    if isinstance(basis, str) or not hasattr(basis, "items"):
        msg = f"basis must be 'bf16', 'fp8', 'bandwidth' or a mapping from chip name to factor, got {show(basis)}"
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
