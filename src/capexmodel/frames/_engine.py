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
from typing import TYPE_CHECKING, Any, Literal

import attrs

from capexmodel._errors import InvalidValueError, show

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import narwhals as nw

SCALE = 18
"""Decimal places of every amount and indicator the table functions compute: each is rounded once, half to even."""
_UNIT = 10**SCALE
_DIGITS = 38

# Shifting the decimal point must never round, however many digits an amount has.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)

Kind = Literal["polars", "pandas", "dask"]

#: The facts table columns the table functions read.
NEEDED = ("company", "metric", "period_start", "period_end", "currency", "amount")


def narwhals() -> Any:  # noqa: ANN401 -- the narwhals module
    """The narwhals module, or an error that says which extra to install."""
    try:
        import narwhals as nw  # noqa: PLC0415 -- an optional extra, loaded on first use
    except ImportError:
        msg = "table functions need the frames extra: pip install 'capexmodel[frames]'"
        raise InvalidValueError(msg) from None
    return nw


@attrs.frozen
class Engine:
    """The engine a table lives on, and how it holds exact amounts."""

    kind: Kind
    lazy: bool
    arrow: bool
    columns: tuple[str, ...]
    """The input table's columns, in order."""

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
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
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


def prepare(native: object, function: str) -> tuple[Engine, Any]:
    """The table as a narwhals frame with exact ``amount`` and month-index ``first`` and ``last`` columns."""
    narwhals()  # says which extra to install when it is missing
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
    if "market" in columns:  # a null market cannot be a group key everywhere: "" stands for it while working
        known = known.with_columns(nw.col("market").fill_null(""))
    return engine, known


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
    month = (pl.col("period_start").dt.year().cast(pl.Int64) * 12 + pl.col("period_start").dt.month() - 1)
    end = (pl.col("period_end").dt.year().cast(pl.Int64) * 12 + pl.col("period_end").dt.month() - 1)
    working = native.lazy().with_columns(amount=pl.col("amount").cast(pl.Decimal(_DIGITS, SCALE)), first=month,
                                         last=end)
    return nw.from_native(working)


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
