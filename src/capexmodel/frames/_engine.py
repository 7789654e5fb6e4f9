"""Exact decimals on every engine: how amounts are held while the table indicators run.

polars holds them as ``decimal(38, 18)``: sums, differences and products are exact,
quotients round half to even at 18 places, and an overflow raises. pandas and Dask
have no exact decimal arithmetic of their own, so there amounts are held as whole
numbers of 10⁻¹⁸ (Python ints, which never overflow) and quotients are rounded half
to even with integer arithmetic. Both give the same numbers, and results leave as
``decimal(38, 18)`` columns on every engine.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import attrs

from capexmodel._errors import InvalidValueError, show

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import narwhals as nw

    from capexmodel._period import Period

SCALE = 18
"""Decimal places of every amount and indicator the table functions compute: each is rounded once, half to even."""
_UNIT = 10**SCALE
_DIGITS = 38

# Shifting the decimal point must never round, however many digits an amount has.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)

Kind = Literal["polars", "pandas", "dask"]


@attrs.frozen
class Key:
    """A (currency, period) pair found in a table, with the dates as the table holds them."""

    currency: str
    period: Period
    period_start: object
    period_end: object
    largest: Decimal | None = None
    """The largest absolute amount over the pair (polars only)."""


#: The facts table columns the table functions read.
NEEDED = ("company", "metric", "period_start", "period_end", "currency", "amount")


def _require_narwhals() -> None:
    """Nothing, or an error that says which extra to install when narwhals is missing."""
    try:
        import narwhals  # noqa: F401, PLC0415 -- an optional extra, loaded on first use
    except ImportError:
        msg = "table functions need the frames extra: pip install 'capexmodel[frames]'"
        raise InvalidValueError(msg) from None


@attrs.frozen
class Engine:
    """The engine a table lives on, and how it holds exact amounts."""

    kind: Kind
    lazy: bool
    arrow: bool
    columns: tuple[str, ...]
    """The input table's columns, in order."""
    keys: tuple[Key, ...] = ()
    """Each (currency, period) pair of the table, checked: the currency canonical, the period whole months."""

    @property
    def currency(self) -> str | None:
        """The table's one currency, if all its amounts are in one (then no currency check has work to do)."""
        codes = {key.currency for key in self.keys}
        return codes.pop() if len(codes) == 1 else None

    def join_left(self, frame: Any, small: Any, on: list[str]) -> Any:  # noqa: ANN401 -- narwhals frames
        """`frame` with `small`'s columns joined on `on`, its rows in their order (polars has to be told)."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        if self.kind == "polars":
            native = frame.to_native().join(small.to_native(), on=on, how="left", maintain_order="left")
            return nw.from_native(native)
        return frame.join(small, on=on, how="left")

    @property
    def series(self) -> tuple[str, ...]:
        """The columns that tell one series of facts from another, of those the table has."""
        return tuple(name for name in ("company", "metric", "basis", "market", "currency")
                     if name in self.columns or name in NEEDED)

    def unsplit(self, frame: Any) -> Any:  # noqa: ANN401 -- a narwhals frame
        """The facts with no market (not a revenue split by market)."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        return frame.filter(nw.col("market") == "") if "market" in self.columns else frame

    def markets(self) -> list[nw.Expr]:
        """The market column back as it came in: null for no market, if the table has the column."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        if "market" not in self.columns:
            return []
        return [nw.when(nw.col("market") == "").then(nw.lit(None, nw.String)).otherwise(nw.col("market"))
                .alias("market")]

    @property
    def units(self) -> bool:
        """True when amounts are whole numbers of 10⁻¹⁸ (pandas, Dask); False for polars decimals."""
        return self.kind != "polars"

    def number(self, value: Decimal | int) -> nw.Expr:
        """A constant in the working representation."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()
        if self.units:
            return nw.lit(_to_units(value))
        return nw.lit(Decimal(value), nw.Decimal(_DIGITS, SCALE))

    def with_quotient(self, frame: Any, name: str, numerator: nw.Expr, denominator: nw.Expr | int, *,  # noqa: ANN401
                      whole: bool = False) -> Any:  # noqa: ANN401 -- a narwhals frame
        """`frame` with ``name = numerator / denominator``, rounded once, half to even, to 18 places.

        Both are amounts, or with ``whole=True`` the denominator is a positive whole
        number (a scaling). Denominators must be positive: rows where they are not
        are to be left null by the caller, who passes a safe value there. Each step is a
        column of its own, so pandas works out every part once.
        """
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        bottom = nw.lit(denominator) if isinstance(denominator, int) else denominator
        if not self.units:
            bottom = bottom.cast(nw.Decimal(_DIGITS, 0)) if whole else bottom
            return frame.with_columns((numerator / bottom).alias(name))
        frame = frame.with_columns(_top=numerator if whole else numerator * _UNIT, _bottom=bottom)
        frame = frame.with_columns(_whole=nw.col("_top") // nw.col("_bottom"))
        frame = frame.with_columns(_twice=(nw.col("_top") - nw.col("_whole") * nw.col("_bottom")) * 2)
        odd = nw.col("_whole") - (nw.col("_whole") // 2) * 2 == 1
        up = (nw.col("_twice") > nw.col("_bottom")) | ((nw.col("_twice") == nw.col("_bottom")) & odd)
        rounded = nw.col("_whole") + nw.when(up).then(nw.lit(1)).otherwise(nw.lit(0))
        return frame.with_columns(rounded.alias(name)).drop("_top", "_bottom", "_whole", "_twice")

    def factor_table(self, keys: Mapping[str, Sequence[object]], factors: Sequence[Fraction],
                     like: nw.DataFrame[Any] | nw.LazyFrame[Any]) -> Any:  # noqa: ANN401 -- a narwhals frame
        """A small frame of `keys` with each row's exact conversion factor, as this engine applies it.

        pandas and Dask multiply by the numerator and divide by the denominator with
        Python ints. polars multiplies by a factor that terminates within 18 places,
        or divides by one whose inverse does; any other factor (a blend, a cross
        rate) is applied with Python ints, row by row, so that it never overflows.
        """
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        if self.units:
            return self.frame({**keys, "_numerator": [factor.numerator for factor in factors],
                               "_denominator": [factor.denominator for factor in factors]}, like,
                              ("_numerator", "_denominator"))
        ways = [_polars_way(factor, key.largest) for factor, key in zip(factors, self.keys, strict=True)]
        small = self.frame({**keys, **{name: [way[name] for way in ways] for name in _WAYS}}, like)
        decimal = nw.Decimal(_DIGITS, SCALE)
        return small.with_columns(nw.col("_times").cast(decimal), nw.col("_over").cast(decimal),
                                  nw.col("_exact").cast(nw.String))

    def convert_amounts(self, frame: Any, factors: Sequence[Fraction]) -> Any:  # noqa: ANN401 -- a narwhals frame
        """Each ``amount`` times its row's factor (from `with_factors`), rounded once, half to even."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        if self.units:
            product = frame.with_columns(_product=nw.col("amount") * nw.col("_numerator"))
            return self.with_quotient(product, "amount", nw.col("_product"), nw.col("_denominator"),
                                      whole=True).drop("_product", "_numerator", "_denominator")
        import polars as pl  # noqa: PLC0415

        native = frame.to_native()
        amount = pl.col("amount")
        fast = amount * pl.col("_times") / pl.col("_over")  # one of the two is exact, so this rounds once
        if all(_polars_way(factor, key.largest)["_exact"] is None
               for factor, key in zip(factors, self.keys, strict=True)):
            converted = native.with_columns(amount=fast)
        else:  # the rows with other factors go through Python ints
            slow = pl.struct("amount", "_exact").map_batches(_exact_products, return_dtype=pl.Decimal(_DIGITS, SCALE))
            native = native.with_row_index("_row")  # to put the rows back in their order
            converted = pl.concat([native.filter(pl.col("_exact").is_null()).with_columns(amount=fast),
                                   native.filter(pl.col("_exact").is_not_null()).with_columns(amount=slow)])
            converted = converted.sort("_row").drop("_row")
        return nw.from_native(converted.drop(*_WAYS))

    def multiply(self, value: nw.Expr, whole: nw.Expr) -> nw.Expr:
        """``value × whole`` for a column of whole numbers, exactly."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()
        return value * whole if self.units else value * whole.cast(nw.Decimal(_DIGITS, 0))

    def frame(self, columns: Mapping[str, Sequence[object]], like: nw.DataFrame[Any] | nw.LazyFrame[Any],
              amounts: Sequence[str] = ()) -> Any:  # noqa: ANN401 -- a narwhals frame of this engine
        """A small frame on this engine (rates, years) whose columns have `like`'s native types, if it has them.

        `amounts` are whole numbers: ``decimal(38, 0)`` on polars, Python ints elsewhere.
        """
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()
        reference: Any = like.to_native()
        if self.kind == "polars":
            import polars as pl  # noqa: PLC0415

            schema = reference.collect_schema()
            native: Any = pl.DataFrame(
                [pl.Series(name, values, dtype=pl.Decimal(_DIGITS, 0) if name in amounts else schema.get(name))
                 for name, values in columns.items()])
            return nw.from_native(native.lazy())
        import pandas as pd  # noqa: PLC0415

        dtypes = reference.dtypes
        native = pd.DataFrame({name: pd.Series(values, dtype=object if name in amounts else dtypes.get(name))
                               for name, values in columns.items()})
        if self.kind == "dask":
            import dask  # noqa: PLC0415
            import dask.dataframe as dd  # noqa: PLC0415

            with dask.config.set({"dataframe.convert-string": False}):
                from_pandas: Any = dd.from_pandas  # untyped
                native = from_pandas(native, npartitions=1)
        return nw.from_native(native)

    def collect(self, frame: nw.DataFrame[Any] | nw.LazyFrame[Any]) -> list[dict[str, Any]]:
        """The rows of a small result, as dicts."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()
        eager = frame.collect() if isinstance(frame, nw.LazyFrame) else frame
        return [{key: None if _missing(value) else value for key, value in row.items()}
                for row in eager.rows(named=True)]

    def finish(self, frame: nw.DataFrame[Any] | nw.LazyFrame[Any], amounts: Sequence[str],
               flags: Sequence[str] = ()) -> Any:  # noqa: ANN401 -- a native table
        """The result as a native table of the engine the input came from.

        Amounts leave as decimal(38, 18); `flags`, held as "true", "false" or null, as
        booleans with nulls.
        """
        native: Any = frame.to_native()
        if self.kind == "polars":
            import polars as pl  # noqa: PLC0415

            native = native.with_columns(pl.col(name).replace_strict({"true": True, "false": False}, default=None,
                                                                     return_dtype=pl.Boolean) for name in flags)
            if self.lazy:
                return native
            native = native.collect()
            return native.to_arrow() if self.arrow else native
        import pandas as pd  # noqa: PLC0415
        import pyarrow as pa  # noqa: PLC0415

        decimal = pd.ArrowDtype(pa.decimal128(_DIGITS, SCALE))

        boolean = pd.ArrowDtype(pa.bool_())

        def to_decimals(part: Any) -> Any:  # noqa: ANN401 -- a pandas DataFrame
            columns = {name: pd.array([_from_units(value, name) for value in part[name]], dtype=decimal)
                       for name in amounts}
            columns |= {name: pd.array([None if _missing(value) else value == "true" for value in part[name]],
                                       dtype=boolean) for name in flags}
            return part.assign(**columns)

        if self.kind == "dask":
            meta = native._meta.assign(**{name: pd.Series([], dtype=decimal) for name in amounts},
                                       **{name: pd.Series([], dtype=boolean) for name in flags})
            return native.map_partitions(to_decimals, meta=meta)
        result = to_decimals(native.reset_index(drop=True))
        return pa.Table.from_pandas(result, preserve_index=False) if self.arrow else result


def _missing(value: object) -> bool:
    """None, or the NaN or NA pandas may write for a missing value."""
    return value is None or type(value).__name__ == "NAType" or (isinstance(value, float) and value != value)  # noqa: PLR0124


_WAYS = ("_times", "_over", "_exact")


def _polars_way(factor: Fraction, largest: Decimal | None) -> dict[str, object]:
    """How polars applies `factor` exactly: ``amount × _times / _over``, or with Python ints (``_exact``).

    Only one of the two steps may round: `factor` itself when it terminates within
    18 places (over 1), 1 over its inverse when that does, or the whole numerator
    over the whole denominator when both, and every product, fit in 20 digits.
    Any other factor (a blend, a cross rate) is applied with Python ints.
    """
    limit = 10 ** (_DIGITS - SCALE)
    if (times := _terminating(factor)) is not None:
        return {"_times": times, "_over": Decimal(1), "_exact": None}
    if (over := _terminating(1 / factor)) is not None:
        return {"_times": Decimal(1), "_over": over, "_exact": None}
    if (largest is not None and Fraction(largest) * factor.numerator < limit and factor.numerator < limit
            and factor.denominator < limit):
        return {"_times": Decimal(factor.numerator), "_over": Decimal(factor.denominator), "_exact": None}
    return {"_times": None, "_over": None, "_exact": f"{factor.numerator}/{factor.denominator}"}


def _terminating(factor: Fraction) -> Decimal | None:
    """The factor as a decimal of at most 18 places and 20 digits before the point, if it is one."""
    value = Decimal(factor.numerator) / Decimal(factor.denominator)  # exact when it terminates within 28 digits
    if Fraction(value) != factor or value.as_tuple().exponent < -SCALE or value.adjusted() >= _DIGITS - SCALE:  # type: ignore[operator]
        return None
    return value


def _exact_products(rows: Any) -> Any:  # noqa: ANN401 -- a polars struct Series in, a decimal Series out
    """``amount × numerator / denominator`` for each row, with Python ints, rounded once, half to even."""
    import polars as pl  # noqa: PLC0415

    values = []
    for row in rows.to_list():
        top, bottom = (int(part) for part in row["_exact"].split("/"))
        units = _to_units(row["amount"])
        values.append(None if units is None else _from_units(_round_half_even(units * top, bottom), "amount"))
    return pl.Series(rows.name, values, dtype=pl.Decimal(_DIGITS, SCALE))


def _round_half_even(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` to the nearest whole number, ties to even, for a positive denominator."""
    quotient, remainder = divmod(numerator, denominator)
    if 2 * remainder > denominator or (2 * remainder == denominator and quotient % 2):
        quotient += 1
    return quotient


def _from_units(value: object, column: str) -> Decimal | None:
    if _missing(value):
        return None
    amount = Decimal(int(value)).scaleb(-SCALE, context=_EXACT)  # type: ignore[call-overload]
    if amount.adjusted() >= _DIGITS - SCALE:
        msg = (f"{column} {amount} has more than {_DIGITS - SCALE} digits before the point,"
               " the most decimal(38, 18) holds")
        raise InvalidValueError(msg)
    return amount


def _to_units(value: object) -> int | None:
    """An exact amount as a whole number of 10⁻¹⁸; more than 18 decimal places is refused, never rounded."""
    if _missing(value):
        return None
    if isinstance(value, float):
        msg = f"amount must be an exact decimal, got the float {value!r}"
        raise InvalidValueError(msg)
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except decimal.InvalidOperation:
        msg = f"amount must be a number, got {show(value)}"
        raise InvalidValueError(msg) from None
    if not amount.is_finite():
        msg = f"amount must be a finite number, got {show(value)}"
        raise InvalidValueError(msg)
    scaled = amount.scaleb(SCALE, context=_EXACT)
    if scaled != scaled.to_integral_value():
        msg = f"amount {amount} has more than {SCALE} decimal places; round it first"
        raise InvalidValueError(msg)
    return int(scaled)


def _month_index(dates: Any) -> Any:  # noqa: ANN401 -- a pandas Series of dates -> numpy int64
    import pandas as pd  # noqa: PLC0415

    stamps = pd.to_datetime(pd.Series(dates, dtype=object))
    return (stamps.dt.year * 12 + stamps.dt.month - 1).astype("int64")


def _pandas_part(part: Any) -> Any:  # noqa: ANN401 -- a pandas DataFrame
    return part.assign(
        amount=pd_object([_to_units(value) for value in part["amount"]], part.index),
        first=_month_index(part["period_start"]).to_numpy(),
        last=_month_index(part["period_end"]).to_numpy(),
    )


def pd_object(values: list[int | None], index: Any = None) -> Any:  # noqa: ANN401 -- a pandas Series of ints
    """Python ints (or None) in an object Series, which pandas adds and divides exactly."""
    import pandas as pd  # noqa: PLC0415

    return pd.Series(values, index=index, dtype=object)


def prepare(native: object, function: str, *, largest: bool = False) -> tuple[Engine, Any]:
    """The table as a narwhals frame with exact ``amount`` and month-index ``first`` and ``last`` columns."""
    _require_narwhals()
    import narwhals as nw  # noqa: PLC0415 -- the frames extra
    kind, lazy, arrow, table = _engine_of(native, function)
    columns = list(nw.from_native(table).collect_schema())
    missing = [name for name in NEEDED if name not in columns]
    if missing:
        msg = f"{function}() reads the facts table layout; the table has no {', '.join(missing)} column"
        raise InvalidValueError(msg)
    engine = Engine(kind, lazy, arrow, tuple(columns))
    if kind == "polars":
        frame = _polars_working(table)
    elif kind == "pandas":
        _check_not_float(str(table["amount"].dtype))
        frame = nw.from_native(_pandas_part(table.reset_index(drop=True)))
    else:
        _check_not_float(str(table["amount"].dtype))
        meta = table._meta.assign(amount=pd_object([]), first=_month_index([]).to_numpy(),
                                   last=_month_index([]).to_numpy())
        frame = nw.from_native(table.map_partitions(_pandas_part, meta=meta))
    # A null amount (a year calendarize() could not restate, say) is a fact nobody knows: left out.
    known = frame.filter(~nw.col("amount").is_null())
    raw = nw.from_native(table).select("currency", "period_start", "period_end")
    if largest and kind == "polars":  # to convert, polars needs each pair's largest amount: do products fit?
        raw = frame.group_by("currency", "period_start", "period_end").agg(
            nw.col("amount").abs().max().alias("largest"))
    keys = _checked_keys(engine.collect(raw.unique()))
    if any(key.currency != row_currency for key, row_currency in keys):  # "usd" is USD, as in Money
        known = known.with_columns(nw.col("currency").str.to_uppercase())
    if "market" in columns:  # a null market cannot be a group key everywhere: "" stands for it while working
        known = known.with_columns(nw.col("market").fill_null(""))
    return attrs.evolve(engine, keys=tuple(key for key, _ in keys)), known


def _checked_keys(rows: list[dict[str, Any]]) -> list[tuple[Key, str]]:
    """Each (currency, period) pair as a `Key`, with the code as written: codes CLDR knows, whole months."""
    from capexmodel._currency import Currency  # noqa: PLC0415
    from capexmodel._errors import InvalidPeriodError  # noqa: PLC0415
    from capexmodel._period import Period  # noqa: PLC0415

    keys = []
    for row in rows:
        start, end = (_as_date(row[name]) for name in ("period_start", "period_end"))
        try:
            period = Period(start, end)
        except InvalidPeriodError as error:
            shown = f"{show(row['period_start'])} to {show(row['period_end'])}"
            msg = f"a row's period, {shown}, is not whole months: {error}"
            raise InvalidPeriodError(msg) from None
        written = row["currency"]
        key = Key(Currency(written).code, period, row["period_start"], row["period_end"], row.get("largest"))
        keys.append((key, written))
    return keys


def _as_date(value: object) -> Any:  # noqa: ANN401 -- a date, or what Period will refuse
    """A date; a midnight timestamp (pandas' datetime64) as its date."""
    import datetime as dt  # noqa: PLC0415

    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def _check_not_float(dtype: str) -> None:
    if "float" in dtype.lower() or "double" in dtype.lower():
        msg = f"amount must hold exact decimals, got a {dtype} column; floats cannot be added up exactly"
        raise InvalidValueError(msg)


def _engine_of(native: object, function: str) -> tuple[Kind, bool, bool, Any]:
    module = type(native).__module__.split(".")[0]
    if module == "pyarrow" and type(native).__name__ == "Table":
        try:
            import polars as pl  # noqa: PLC0415
        except ImportError:
            import pandas as pd  # noqa: PLC0415

            return "pandas", False, True, native.to_pandas(types_mapper=pd.ArrowDtype)  # type: ignore[attr-defined]
        return "polars", False, True, pl.from_arrow(native)
    if module == "polars" and type(native).__name__ in {"DataFrame", "LazyFrame"}:
        return "polars", type(native).__name__ == "LazyFrame", False, native
    if module == "pandas" and type(native).__name__ == "DataFrame":
        return "pandas", False, False, native
    if module == "dask" and type(native).__name__ == "DataFrame":
        return "dask", True, False, native
    msg = f"{function}() reads a polars, pandas, pyarrow or Dask table, got {show(native)}"
    raise InvalidValueError(msg)


def _polars_working(native: Any) -> Any:  # noqa: ANN401 -- a narwhals frame
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()
    import polars as pl  # noqa: PLC0415
    dtype = native.collect_schema()["amount"]
    if dtype.is_float():
        _check_not_float(str(dtype))
    if isinstance(dtype, pl.Decimal) and dtype.scale is not None and dtype.scale > SCALE:
        msg = f"amount is a {dtype} column, with more than {SCALE} decimal places; round it first"
        raise InvalidValueError(msg)
    amount = pl.col("amount").cast(pl.Decimal(_DIGITS, SCALE))
    if not (isinstance(dtype, pl.Decimal) or dtype.is_integer()):  # exact strings: checked one by one, never rounded
        amount = pl.col("amount").map_batches(_polars_amounts, return_dtype=pl.Decimal(_DIGITS, SCALE))
    month = (pl.col("period_start").dt.year().cast(pl.Int64) * 12 + pl.col("period_start").dt.month() - 1)
    end = (pl.col("period_end").dt.year().cast(pl.Int64) * 12 + pl.col("period_end").dt.month() - 1)
    working = native.lazy().with_columns(amount=amount, first=month, last=end)
    return nw.from_native(working)


def _polars_amounts(amounts: Any) -> Any:  # noqa: ANN401 -- a polars Series in, a decimal(38, 18) Series out
    import polars as pl  # noqa: PLC0415

    values = [_from_units(_to_units(value), "amount") for value in amounts.to_list()]
    return pl.Series(amounts.name, values, dtype=pl.Decimal(_DIGITS, SCALE))


def polars_errors(call: Callable[[], Any]) -> Any:  # noqa: ANN401 -- whatever call gives
    """Run `call`, turning a polars decimal overflow into an `InvalidValueError`."""
    try:
        return call()
    except Exception as error:
        engine = type(error).__module__.split(".")[0]
        if engine in {"polars", "narwhals"} and ("overflow" in str(error) or "failed in column" in str(error)):
            first_line = str(error).splitlines()[0]
            msg = (f"an amount does not fit decimal(38, 18), the most polars holds (20 digits before the"
                   f" point): {first_line}")
            raise InvalidValueError(msg) from None
        raise
