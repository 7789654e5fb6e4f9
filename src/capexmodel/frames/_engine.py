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
import sys
import threading
import weakref
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import attrs

from capexmodel._context import EXACT, QUOTIENT
from capexmodel._errors import InvalidValueError, show
from capexmodel._model.money import _to_decimal
from capexmodel.frames import _checks
from capexmodel.frames._checks import missing

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    import narwhals as nw

    from capexmodel._model.period import Period

SCALE = 18
"""Decimal places of every amount and indicator the table functions compute: each is rounded once, half to even."""
_UNIT = 10**SCALE
_DIGITS = 38
#: Amounts polars holds lie below this (20 digits before the point).
_LIMIT = 10 ** (_DIGITS - SCALE)

Kind = Literal["polars", "pandas", "dask"]


@attrs.frozen
class Key:
    """A (currency, period) pair found in a table: the code as `Currency` reads it, the period checked."""

    currency: str
    period: Period
    largest: Decimal | None = None
    """The largest absolute amount over the pair (polars only)."""
    known: bool | None = True
    """Whether some row of the pair has an amount (None: not worked out; polars only)."""


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
    """Each (currency, period) pair of the table once, checked: the currency canonical, the period whole months."""

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
        return tuple(
            name
            for name in ("company", "metric", "basis", "market", "currency")
            if name in self.columns or name in NEEDED
        )

    def unsplit(self, frame: Any) -> Any:  # noqa: ANN401 -- a narwhals frame
        """The facts with no market (not a revenue split by market)."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        return frame.filter(nw.col("market") == "") if "market" in self.columns else frame

    def markets(self) -> list[nw.Expr]:
        """The market column back as it came in: null for no market, if the table has the column."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        if "market" not in self.columns:
            return []
        return [
            nw.when(nw.col("market") == "").then(nw.lit(None, nw.String)).otherwise(nw.col("market")).alias("market")
        ]

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

    def with_quotient(
        self,
        frame: Any,  # noqa: ANN401 -- a narwhals frame
        name: str,
        numerator: nw.Expr,
        denominator: nw.Expr | int,
        *,
        whole: bool = False,
    ) -> Any:  # noqa: ANN401 -- a narwhals frame
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

    def factor_table(
        self,
        keys: Mapping[str, Sequence[object]],
        factors: Sequence[Fraction],
        like: nw.DataFrame[Any] | nw.LazyFrame[Any],
    ) -> tuple[Any, bool]:
        """A small frame of `keys` with each row's exact conversion factor, as this engine applies it.

        pandas and Dask multiply by the numerator and divide by the denominator with
        Python ints. polars multiplies by a factor that terminates within 18 places,
        or divides by one whose inverse does; any other factor (a blend, a cross
        rate) is applied with Python ints, row by row, so that it never overflows.
        Also whether some factor needs Python ints (then `convert_amounts` is told so).
        """
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        if self.units:
            table = self.frame(
                {
                    **keys,
                    "_numerator": [factor.numerator for factor in factors],
                    "_denominator": [factor.denominator for factor in factors],
                },
                like,
                ("_numerator", "_denominator"),
            )
            return table, False
        ways = [_polars_way(factor, key.largest) for factor, key in zip(factors, self.keys, strict=True)]
        small = self.frame({**keys, **{name: [way[name] for way in ways] for name in _WAYS}}, like)
        exact = nw.Decimal(_DIGITS, SCALE)
        table = small.with_columns(
            nw.col("_times").cast(exact), nw.col("_over").cast(exact), nw.col("_exact").cast(nw.String)
        )
        return table, any(way["_exact"] is not None for way in ways)

    def convert_amounts(self, frame: Any, *, slow: bool) -> Any:  # noqa: ANN401 -- a narwhals frame
        """Each ``amount`` times its row's factor (from `factor_table`), rounded once, half to even.

        `slow` says whether some rows' factors need Python ints (polars only).
        """
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        if self.units:
            product = frame.with_columns(_product=nw.col("amount") * nw.col("_numerator"))
            return self.with_quotient(product, "amount", nw.col("_product"), nw.col("_denominator"), whole=True).drop(
                "_product", "_numerator", "_denominator"
            )
        import polars as pl  # noqa: PLC0415

        native = frame.to_native()
        amount = pl.col("amount")
        fast = amount * pl.col("_times") / pl.col("_over")  # one of the two is exact, so this rounds once
        if not slow:
            converted = native.with_columns(amount=fast)
        else:  # the rows with other factors go through Python ints
            slow_amount = pl.struct("amount", "_exact").map_batches(
                _exact_products, return_dtype=pl.Decimal(_DIGITS, SCALE)
            )
            native = native.with_row_index("_row")  # to put the rows back in their order
            converted = pl.concat(
                [
                    native.filter(pl.col("_exact").is_null()).with_columns(amount=fast),
                    native.filter(pl.col("_exact").is_not_null()).with_columns(amount=slow_amount),
                ]
            )
            converted = converted.sort("_row").drop("_row")
        return nw.from_native(converted.drop(*_WAYS))

    def multiply(self, value: nw.Expr, whole: nw.Expr) -> nw.Expr:
        """``value × whole`` for a column of whole numbers, exactly."""
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        return value * whole if self.units else value * whole.cast(nw.Decimal(_DIGITS, 0))

    def frame(
        self,
        columns: Mapping[str, Sequence[object]],
        like: nw.DataFrame[Any] | nw.LazyFrame[Any],
        amounts: Sequence[str] = (),
    ) -> Any:  # noqa: ANN401 -- a narwhals frame of this engine
        """A small frame on this engine (rates, years) whose columns have `like`'s native types, if it has them.

        `amounts` are whole numbers: ``decimal(38, 0)`` on polars, Python ints elsewhere.
        """
        import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

        reference: Any = like.to_native()
        if self.kind == "polars":
            import polars as pl  # noqa: PLC0415

            schema = reference.collect_schema()
            native: Any = pl.DataFrame(
                [
                    pl.Series(name, values, dtype=pl.Decimal(_DIGITS, 0) if name in amounts else schema.get(name))
                    for name, values in columns.items()
                ]
            )
            return nw.from_native(native.lazy())
        import pandas as pd  # noqa: PLC0415

        dtypes = reference.dtypes
        native = pd.DataFrame(
            {
                name: pd.Series(values, dtype=object if name in amounts else dtypes.get(name))
                for name, values in columns.items()
            }
        )
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
        return [
            {key: None if missing(value) else value for key, value in row.items()} for row in eager.rows(named=True)
        ]

    def finish(
        self,
        frame: nw.DataFrame[Any] | nw.LazyFrame[Any],
        amounts: Sequence[str],
        flags: Sequence[str] = (),
        keys: Iterable[Key] | None = None,
    ) -> Any:  # noqa: ANN401 -- a native table
        """The result as a native table of the engine the input came from.

        Amounts leave as decimal(38, 18); `flags`, held as "true", "false" or null, as
        booleans with nulls. A polars LazyFrame result in the facts table layout comes
        with its (currency, period) `keys`: a table function given it again reads its
        plan and keys, and checks nothing twice.
        """
        native: Any = frame.to_native()
        if self.kind == "polars":
            import polars as pl  # noqa: PLC0415

            native = native.with_columns(
                pl.col(name).replace_strict({"true": True, "false": False}, default=None, return_dtype=pl.Boolean)
                for name in flags
            )
            if self.lazy:
                result = _guarded(native)
                if keys is not None:
                    columns = tuple(result.collect_schema().names())
                    _remember(
                        result, Engine("polars", lazy=True, arrow=False, columns=columns, keys=_distinct(keys)), native
                    )
                return result
            native = collect_polars(native)
            return native.to_arrow() if self.arrow else native
        import pandas as pd  # noqa: PLC0415
        import pyarrow as pa  # noqa: PLC0415

        exact = pd.ArrowDtype(pa.decimal128(_DIGITS, SCALE))

        boolean = pd.ArrowDtype(pa.bool_())

        def to_decimals(part: Any) -> Any:  # noqa: ANN401 -- a pandas DataFrame
            with decimal.localcontext(QUOTIENT):  # Dask computes this later, in the context of its thread
                columns = {
                    name: pd.array([_from_units(value, name) for value in part[name]], dtype=exact) for name in amounts
                }
            columns |= {
                name: pd.array([None if missing(value) else value == "true" for value in part[name]], dtype=boolean)
                for name in flags
            }
            return part.assign(**columns)

        if self.kind == "dask":
            meta = native._meta.assign(
                **{name: pd.Series([], dtype=exact) for name in amounts},
                **{name: pd.Series([], dtype=boolean) for name in flags},
            )
            return native.map_partitions(to_decimals, meta=meta)
        result = to_decimals(native.reset_index(drop=True))
        return pa.Table.from_pandas(result, preserve_index=False) if self.arrow else result


def _guarded(plan: Any) -> Any:  # noqa: ANN401 -- a polars LazyFrame in, one out
    """`plan`, still lazy, whose collect raises `InvalidValueError` where polars' decimals overflow.

    The plan runs when the result is collected, as a whole: what is asked of the
    result (a filter, a selection) applies to its rows once computed.
    """
    import polars as pl  # noqa: PLC0415 -- only for polars tables

    result = pl.defer(lambda: collect_polars(plan), schema=plan.collect_schema())
    key = id(result)
    with _PRODUCED_LOCK:
        _PLANS[key] = (weakref.ref(result), plan)
    weakref.finalize(result, _forget, key)
    return result


#: The plans behind the LazyFrames the table functions gave back, by id, for `collect_all`.
_PLANS: dict[int, tuple[weakref.ref[Any], Any]] = {}


#: The LazyFrames the table functions gave back, by id: each with its engine (its keys) and its plan.
_PRODUCED: dict[int, tuple[weakref.ref[Any], Engine, Any]] = {}
_PRODUCED_LOCK = threading.Lock()


def _remember(result: Any, engine: Engine, plan: Any) -> None:  # noqa: ANN401 -- polars LazyFrames
    """Keep `result`'s engine and plan for as long as `result` lives: it is checked already."""
    key = id(result)
    with _PRODUCED_LOCK:
        _PRODUCED[key] = (weakref.ref(result), engine, plan)
    weakref.finalize(result, _forget, key)


def _forget(key: int) -> None:
    with _PRODUCED_LOCK:
        _PRODUCED.pop(key, None)
        _PLANS.pop(key, None)


def plan_of(native: object) -> Any:  # noqa: ANN401 -- a polars LazyFrame, or None
    """The plan behind a LazyFrame a table function gave back, or None for any other table."""
    with _PRODUCED_LOCK:
        entry = _PLANS.get(id(native))
    return entry[1] if entry is not None and entry[0]() is native else None


def produced(native: object) -> tuple[Engine, Any] | None:
    """The engine and plan of a LazyFrame a table function gave back, or None for any other table.

    A LazyFrame's plan cannot change once made, so what was known of it when it was
    made (its columns, their types, its (currency, period) pairs) still holds.
    """
    with _PRODUCED_LOCK:
        entry = _PRODUCED.get(id(native))
    if entry is None or entry[0]() is not native:
        return None
    return entry[1], entry[2]


def collect_polars(plan: Any) -> Any:  # noqa: ANN401 -- a polars LazyFrame in, a DataFrame out
    """The plan's rows; a decimal overflow (polars' ComputeError) is an `InvalidValueError`."""
    with decimal.localcontext(QUOTIENT):  # for the functions polars calls back, in this thread
        return polars_errors(plan.collect)


def collect_polars_all(plans: list[Any]) -> list[Any]:
    """The rows of each plan, computed together so that shared steps run once (see `collect_polars`)."""
    import polars as pl  # noqa: PLC0415 -- only for polars tables

    with decimal.localcontext(QUOTIENT):
        return polars_errors(lambda: pl.collect_all(plans))  # type: ignore[no-any-return]


_WAYS = ("_times", "_over", "_exact")


def _polars_way(factor: Fraction, largest: Decimal | None) -> dict[str, object]:
    """How polars applies `factor` exactly: ``amount × _times / _over``, or with Python ints (``_exact``).

    Only one of the two steps may round: `factor` itself when it terminates within
    18 places (over 1), 1 over its inverse when that does, or the whole numerator
    over the whole denominator when both, and every product, fit in 20 digits.
    Any other factor (a blend, a cross rate) is applied with Python ints.
    """
    limit = _LIMIT
    if (times := _terminating(factor)) is not None:
        return {"_times": times, "_over": Decimal(1), "_exact": None}
    if (over := _terminating(1 / factor)) is not None:
        return {"_times": Decimal(1), "_over": over, "_exact": None}
    if (
        largest is not None
        and Fraction(largest) * factor.numerator < limit
        and factor.numerator < limit
        and factor.denominator < limit
    ):
        return {"_times": Decimal(factor.numerator), "_over": Decimal(factor.denominator), "_exact": None}
    return {"_times": None, "_over": None, "_exact": f"{factor.numerator}/{factor.denominator}"}


def _terminating(factor: Fraction) -> Decimal | None:
    """The factor as a decimal of at most 18 places and 20 digits before the point, if it is one."""
    value = QUOTIENT.divide(Decimal(factor.numerator), Decimal(factor.denominator))  # exact if it terminates soon
    if Fraction(value) != factor or value.as_tuple().exponent < -SCALE or value.adjusted() >= _DIGITS - SCALE:  # type: ignore[operator]
        return None
    return value


def _exact_products(rows: Any) -> Any:  # noqa: ANN401 -- a polars struct Series in, a decimal Series out
    """``amount × numerator / denominator`` for each row, with Python ints, rounded once, half to even."""
    import polars as pl  # noqa: PLC0415

    values = []
    with decimal.localcontext(QUOTIENT):  # polars calls this from its own threads, in their contexts
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
    if missing(value):
        return None
    amount = Decimal(int(value)).scaleb(-SCALE, context=EXACT)  # type: ignore[call-overload]
    if amount.adjusted() >= _DIGITS - SCALE:
        msg = (
            f"{column} {amount} has more than {_DIGITS - SCALE} digits before the point, the most decimal(38, 18) holds"
        )
        raise InvalidValueError(msg)
    return amount


def _to_units(value: object) -> int | None:
    """An exact amount as a whole number of 10⁻¹⁸; more than 18 decimal places is refused, never rounded.

    Amounts are read as `Money` reads them: ints, Decimals and numeric strings.
    """
    if missing(value):
        return None
    amount = _to_decimal(value)
    scaled = amount.scaleb(SCALE, context=EXACT)
    if scaled != scaled.to_integral_value(context=EXACT):
        msg = f"amount {amount} has more than {SCALE} decimal places; round it first"
        raise InvalidValueError(msg)
    return int(scaled)


def _to_units_in_row(value: object, row: str) -> int | None:
    """`_to_units`, its error naming the row (as "row 3", or "partition 2, row 3")."""
    try:
        return _to_units(value)
    except InvalidValueError as error:
        msg = f"table, {row}, column 'amount': {error}"
        raise type(error)(msg) from None


def _month_index(dates: Any) -> Any:  # noqa: ANN401 -- a pandas Series of dates -> numpy int64
    import pandas as pd  # noqa: PLC0415

    stamps = pd.to_datetime(pd.Series(dates, dtype=object))
    return (stamps.dt.year * 12 + stamps.dt.month - 1).astype("int64")


def _pandas_part(part: Any, partition_info: dict[str, Any] | None = None) -> Any:  # noqa: ANN401 -- pandas frames
    """The part with exact amounts (whole numbers of 10⁻¹⁸) and month indices, its text as plain strings.

    Dask passes `partition_info`, so that a bad amount is named by partition and row.
    """
    import pandas as pd  # noqa: PLC0415

    part = _checks.with_dates(part)
    where = "" if partition_info is None else f"partition {partition_info['number'] + 1}, "
    with decimal.localcontext(QUOTIENT):  # Dask runs this later, in the context of its own thread
        amounts = [
            _to_units_in_row(value, f"{where}row {number}") for number, value in enumerate(part["amount"], start=1)
        ]
    columns = {
        name: part[name].astype(object)
        for name in _checks.TEXT
        if name in part.columns and isinstance(part[name].dtype, pd.CategoricalDtype)
    }
    # Object columns may mix dates and midnight datetimes: one date each, so that equal periods group together.
    columns |= {name: part[name].map(_as_date) for name in _checks.DATES if part[name].dtype == object}
    return part.assign(
        **columns,
        amount=pd_object(amounts, part.index),
        first=_month_index(part["period_start"]).to_numpy(),
        last=_month_index(part["period_end"]).to_numpy(),
    )


def pd_object(values: list[int | None], index: Any = None) -> Any:  # noqa: ANN401 -- a pandas Series of ints
    """Python ints (or None) in an object Series, which pandas adds and divides exactly."""
    import pandas as pd  # noqa: PLC0415

    return pd.Series(values, index=index, dtype=object)


def prepare(native: object, function: str, *, largest: bool = False) -> tuple[Engine, Any]:
    """The table, checked, as a narwhals frame with exact ``amount`` and month-index ``first`` and ``last`` columns.

    The checks read the whole table once, eagerly (a LazyFrame or a Dask DataFrame is
    computed that far): column types, nulls in the key columns, the cells of object
    columns, and each (currency, period) pair. Currency codes are written as
    `Currency` reads them ("usd" is USD) before anything groups or joins by them.
    """
    _require_narwhals()
    import narwhals as nw  # noqa: PLC0415 -- the frames extra

    made = produced(native)
    pairs: list[dict[str, Any]] | None = None
    if made is not None:  # a LazyFrame a table function gave back: checked when it was made
        engine, plan = made
        kind, columns = "polars", list(engine.columns)
        frame = _polars_working(plan)
    else:
        kind, lazy, arrow, table = _engine_of(native, function)
        table = _iso_dates(kind, _typed_nulls(kind, table))
        columns = list(nw.from_native(table).collect_schema())
        missing_columns = [name for name in NEEDED if name not in columns]
        if missing_columns:
            msg = f"{function}() reads the facts table layout; the table has no {', '.join(missing_columns)} column"
            raise InvalidValueError(msg)
        engine = Engine(kind, lazy, arrow, tuple(columns))
        if kind == "polars":
            pairs = _polars_pairs(table, largest=largest)
            frame = _polars_working(table)
        else:
            pairs = _pandas_pairs(kind, table)
            if kind == "pandas":
                frame = nw.from_native(_pandas_part(table.reset_index(drop=True)))
            else:
                meta = _pandas_part(table._meta)
                frame = nw.from_native(table.map_partitions(_pandas_part, meta=meta))
    # A null amount (a year calendarize() could not restate, say) is a fact nobody knows: left out.
    known = frame.filter(~nw.col("amount").is_null())
    if largest and kind == "polars" and (pairs is None or (pairs and "largest" not in pairs[0])):  # amounts read
        pairs = engine.collect(frame.group_by(*_checks.PAIR).agg(nw.col("amount").abs().max().alias("largest")))
        pairs = [pair | {"_known": pair["largest"] is not None} for pair in pairs]
    if "market" in columns:  # a null market cannot be a group key everywhere: "" stands for it while working
        known = known.with_columns(nw.col("market").fill_null(""))
    if pairs is None:
        return engine, known
    keys = _checked_keys(pairs)
    if any(key.currency != written for key, written in keys):  # "usd" is USD, as in Money
        known = known.with_columns(nw.col("currency").str.to_uppercase())
    return attrs.evolve(engine, keys=_distinct(key for key, _ in keys)), known


def _typed_nulls(kind: Kind, table: Any) -> Any:  # noqa: ANN401 -- a native table in, one of its engine out
    """The table, each column of the null type that holds text or dates cast to strings or dates: all nulls still.

    A column with no value in any row may come with no type of its own (arrow's and
    polars' null type), which has no string or date operations: it is read as what
    its name says it holds, so that it is checked and computed as such.
    """
    if kind == "polars":
        import polars as pl  # noqa: PLC0415 -- only for polars tables

        polars_types = {"text": pl.String, "date": pl.Date}
        return table.with_columns(
            pl.col(name).cast(polars_types[expected])
            for name, dtype in table.collect_schema().items()
            if dtype == pl.Null and (expected := _checks.expected_kind(name)) in polars_types
        )
    import pandas as pd  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415

    arrow_types = {"text": pa.string(), "date": pa.date32()}
    casts = {
        name: pd.ArrowDtype(arrow_types[expected])
        for name, dtype in table.dtypes.items()
        if _checks.pandas_kind(dtype) == "null" and (expected := _checks.expected_kind(name)) in arrow_types
    }
    return table.astype(casts) if casts else table


def _iso_dates(kind: Kind, table: Any) -> Any:  # noqa: ANN401 -- a native table in, one of its engine out
    """The table, its period columns of strings read as dates: ISO ``YYYY-MM-DD`` only, anything else an error.

    Dask writes an object column of dates as strings (``dd.from_pandas``), and CSV
    readers leave dates as text: such columns are read exactly, on every engine. A
    string that is not an ISO date is named by row and column.
    """
    if kind == "polars":
        return _polars_iso_dates(table)
    return table  # pandas and Dask: read part by part (`_checks.with_dates`), as Dask may make strings of them again


def _polars_iso_dates(table: Any) -> Any:  # noqa: ANN401 -- a polars frame in, one of its kind out
    import polars as pl  # noqa: PLC0415

    schema = table.collect_schema()
    names = [name for name in _checks.DATES if schema.get(name) == pl.String]
    if not names:
        return table
    numbered = table.lazy().with_row_index("_row", offset=1)
    queries = []
    for name in names:
        read = pl.col(name).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        wrong = pl.col(name).is_not_null() & (~pl.col(name).str.contains(_checks.ISO_DATE.pattern) | read.is_null())
        queries.append(
            numbered.filter(wrong).select(pl.col("_row").first(), pl.col(name).first().alias("_value"), pl.len())
        )
    problems = [
        _checks.cell_problem(name, int(found["_row"][0]), int(found["len"][0]), found["_value"][0])
        for name, found in zip(names, pl.collect_all(queries), strict=True)
        if found["len"][0]
    ]
    _checks.raise_problems(problems)
    return table.with_columns(pl.col(name).str.strptime(pl.Date, "%Y-%m-%d") for name in names)


def _distinct(keys: Iterable[Key]) -> tuple[Key, ...]:
    """One key per (currency, period): "usd" and "USD" over one period are one pair, with the larger largest."""
    merged: dict[tuple[str, Period], Key] = {}
    for key in keys:
        seen = merged.get((key.currency, key.period))
        if seen is not None:
            largest = None if key.largest is None or seen.largest is None else max(key.largest, seen.largest)
            known = None if key.known is None or seen.known is None else key.known or seen.known
            key = attrs.evolve(key, largest=largest, known=known)  # noqa: PLW2901 -- the merged key
        merged[key.currency, key.period] = key
    return tuple(merged.values())


def _pandas_pairs(kind: Kind, table: Any) -> list[dict[str, Any]]:  # noqa: ANN401 -- a pandas or Dask frame
    """The table's (currency, period) pairs, once its columns, nulls and object cells are checked."""
    _check_not_float(str(table["amount"].dtype))
    _checks.raise_problems(_checks.pandas_column_problems(table.dtypes))
    if kind == "pandas":
        summary = _checks.pandas_part_problems(table)
    else:  # one pass over the partitions
        meta = _checks.pandas_part_problems(table._meta).iloc[:0]
        summary = table.map_partitions(_checks.pandas_part_problems, meta=meta).compute()
    return [
        {name: None if missing(value) else value for name, value in pair.items()}
        for pair in _checks.read_parts(summary)
    ]


def _polars_pairs(table: Any, *, largest: bool = False) -> list[dict[str, Any]]:  # noqa: ANN401 -- polars frames
    """The table's (currency, period) pairs, once its columns, nulls and amounts are checked.

    With `largest`, each pair comes with its largest absolute amount (to convert, polars
    needs it: do the products fit?), worked out in the same pass, unless the amounts
    are text (those are read one by one later).
    """
    import polars as pl  # noqa: PLC0415

    schema = table.collect_schema()
    amount = schema["amount"]
    if amount.is_float():
        _check_not_float(str(amount))
    if isinstance(amount, pl.Decimal) and amount.scale is not None and amount.scale > SCALE:
        msg = f"amount is a {amount} column, with more than {SCALE} decimal places; round it first"
        raise InvalidValueError(msg)
    _checks.raise_problems(_checks.polars_column_problems(schema))
    wide = isinstance(amount, (pl.Int128, pl.UInt128)) or (
        isinstance(amount, pl.Decimal) and (amount.precision or _DIGITS) - (amount.scale or 0) > _DIGITS - SCALE
    )
    extremes = wide or (largest and amount != pl.String)
    lazy = table.lazy()
    summary = (
        lazy.group_by(*_checks.PAIR)
        .agg(
            pl.len().alias("_rows"),
            pl.col("company").null_count().alias("company"),
            pl.col("metric").null_count().alias("metric"),
            (pl.col("amount").count() > 0).alias("_known"),
            *([pl.col("amount").max().alias("_max"), pl.col("amount").min().alias("_min")] if extremes else []),
        )
        .collect()
    )
    nulls = [
        name
        for name in _checks.REQUIRED
        if (summary.filter(pl.col(name).is_null())["_rows"].sum() if name in _checks.PAIR else summary[name].sum())
    ]
    _checks.raise_problems(_checks.polars_null_problems(lazy, nulls))
    if wide and any(
        value is not None and not -_LIMIT < value < _LIMIT for value in (*summary["_max"], *summary["_min"])
    ):
        beyond = (pl.col("amount") >= _LIMIT) | (pl.col("amount") <= -_LIMIT)
        row = lazy.with_row_index("_row", offset=1).filter(beyond).select("_row", "amount").head(1).collect().row(0)
        msg = (
            f"table, row {row[0]}, column 'amount': {row[1]} does not fit decimal(38, 18), the most polars"
            f" holds (20 digits before the point)"
        )
        raise InvalidValueError(msg)
    rows: list[dict[str, Any]] = summary.select(*_checks.PAIR, "_known").rows(named=True)
    if extremes and largest:
        for row, high, low in zip(rows, summary["_max"], summary["_min"], strict=True):
            row["largest"] = None if high is None else Decimal(max(abs(high), abs(low)))
    return rows


def _checked_keys(rows: list[dict[str, Any]]) -> list[tuple[Key, str]]:
    """Each (currency, period) pair as a `Key`, with the code as written: codes CLDR knows, whole months."""
    from capexmodel._errors import InvalidPeriodError  # noqa: PLC0415
    from capexmodel._model.currency import Currency  # noqa: PLC0415
    from capexmodel._model.period import Period  # noqa: PLC0415

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
        keys.append((Key(Currency(written).code, period, row.get("largest"), row.get("_known", True)), written))
    return keys


def _as_date(value: object) -> Any:  # noqa: ANN401 -- a date, or what Period will refuse
    """A date; a midnight timestamp (pandas' datetime64) as its date."""
    import datetime as dt  # noqa: PLC0415

    if isinstance(value, dt.datetime) and value.time() == dt.time() and value.tzinfo is None:
        return value.date()
    return value


def _check_not_float(dtype: str) -> None:
    if "float" in dtype.lower() or "double" in dtype.lower():
        msg = f"amount must hold exact decimals, got a {dtype} column; floats cannot be added up exactly"
        raise InvalidValueError(msg)


def _engine_of(native: object, function: str) -> tuple[Kind, bool, bool, Any]:
    module = type(native).__module__.split(".")[0]
    if module == "pyarrow" and type(native).__name__ == "Table":
        _checks.duplicate_columns(native.column_names)  # type: ignore[attr-defined]
        try:
            import polars as pl  # noqa: PLC0415
        except ImportError:
            import pandas as pd  # noqa: PLC0415

            return "pandas", False, True, native.to_pandas(types_mapper=pd.ArrowDtype)  # type: ignore[attr-defined]
        return "polars", False, True, pl.from_arrow(native)
    if module == "polars" and type(native).__name__ in {"DataFrame", "LazyFrame"}:
        return "polars", type(native).__name__ == "LazyFrame", False, native
    if module == "pandas" and type(native).__name__ == "DataFrame":
        _checks.duplicate_columns(list(native.columns))  # type: ignore[attr-defined]
        return "pandas", False, False, native
    if module == "dask" and type(native).__name__ == "DataFrame":
        _checks.duplicate_columns(list(native.columns))  # type: ignore[attr-defined]
        return "dask", True, False, native
    msg = f"{function}() reads a polars, pandas, pyarrow or Dask table, got {show(native)}"
    raise InvalidValueError(msg)


def _polars_working(native: Any) -> Any:  # noqa: ANN401 -- a narwhals frame
    """The table, checked by `_polars_pairs`, with decimal(38, 18) amounts, month indices and text as strings."""
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()
    import polars as pl  # noqa: PLC0415

    schema = native.collect_schema()
    working = native.lazy()
    amount = pl.col("amount").cast(pl.Decimal(_DIGITS, SCALE))
    if schema["amount"] == pl.String:  # exact strings: checked one by one, never rounded; errors name the row
        working = working.with_row_index("_row", offset=1)
        amount = pl.struct("_row", "amount").map_batches(_polars_amounts, return_dtype=pl.Decimal(_DIGITS, SCALE))
    month = pl.col("period_start").dt.year().cast(pl.Int64) * 12 + pl.col("period_start").dt.month() - 1
    end = pl.col("period_end").dt.year().cast(pl.Int64) * 12 + pl.col("period_end").dt.month() - 1
    text = [pl.col(name).cast(pl.String) for name in _checks.TEXT if name in schema and schema[name] != pl.String]
    working = working.with_columns(*text, amount=amount, first=month, last=end)
    return nw.from_native(working.drop("_row", strict=False))


def _polars_amounts(rows: Any) -> Any:  # noqa: ANN401 -- a polars struct Series in, a decimal(38, 18) Series out
    import polars as pl  # noqa: PLC0415

    with decimal.localcontext(QUOTIENT):  # polars calls this from its own threads, in their contexts
        values = [
            _from_units(_to_units_in_row(row["amount"], f"row {row['_row']}"), "amount") for row in rows.to_list()
        ]
    return pl.Series(rows.name, values, dtype=pl.Decimal(_DIGITS, SCALE))


def polars_errors(call: Callable[[], Any]) -> Any:  # noqa: ANN401 -- whatever call gives
    """Run `call`, turning a polars decimal overflow into an `InvalidValueError`.

    The tables are checked before polars computes anything, so a ComputeError (polars'
    own, or narwhals' name for it) can only be an overflow of decimal(38, 18).
    """
    try:
        return call()
    except Exception as error:
        if not _is_compute_error(error):
            raise
        first_line = str(error).splitlines()[0]
        msg = (
            f"an amount does not fit decimal(38, 18), the most polars holds (20 digits before the point): {first_line}"
        )
        raise InvalidValueError(msg) from None


def _is_compute_error(error: Exception) -> bool:
    import narwhals as nw  # noqa: PLC0415 -- the frames extra, checked by prepare()

    polars = sys.modules.get("polars")  # a polars error needs polars loaded; pandas tables work without it
    polars_error = () if polars is None else (polars.exceptions.ComputeError,)
    return isinstance(error, (nw.exceptions.ComputeError, *polars_error))
