"""The indicators over whole tables, written once against narwhals."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from capexmodel._errors import (
    CurrencyMismatchError,
    InvalidPeriodError,
    InvalidValueError,
    UnknownCompanyError,
    show,
)
from capexmodel.frames._engine import Engine, month_end, month_start, narwhals, polars_errors, prepare

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import narwhals as nw

    from capexmodel._company import Company
    from capexmodel._conversion import RateTable

__all__ = ["bubble_signals", "calendarize", "convert", "ratios", "totals", "year_over_year"]

# Every length of period from one to twelve months divides this, so month shares stay whole.
_MONTHS_LCM = 27720
_WHOLE_YEAR = 2**12 - 1
_SERIES = ("company", "metric", "basis", "market", "currency")


def convert(facts: object, rates: RateTable, currency: str, *, blend: bool = False) -> Any:  # noqa: ANN401
    """The facts with every amount converted to `currency`, by `rates`' rules.

    Each (currency, period) pair in the table is converted as `RateTable.conversion`
    says, so a missing rate raises `MissingRateError` (never a null) and `blend=`
    means what it means there. Each amount is multiplied by the exact factor and
    rounded once, half to even, to 18 decimal places. The other columns are kept.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> usd = frames.convert(ds.to_frame("polars"), ds.rates, "USD")
        >>> usd.filter(company="bytedance", metric="capex")["amount"].item()
        Decimal('11065006915.629322268326417704')
    """
    from capexmodel._conversion import RateTable  # noqa: PLC0415
    from capexmodel._currency import Currency  # noqa: PLC0415
    from capexmodel._period import Period  # noqa: PLC0415

    if not isinstance(rates, RateTable):
        msg = f"rates must be a capexmodel.RateTable, got {show(rates)}"
        raise InvalidValueError(msg)
    target = Currency(currency)
    nw = narwhals()
    engine, frame = prepare(facts, "convert")
    columns = [name for name in frame.collect_schema() if name not in {"first", "last"}]

    def run() -> Any:  # noqa: ANN401
        pairs = engine.collect(frame.select("currency", "first", "last").unique())
        factors = [rates.conversion(pair["currency"], target, Period._from_indices(pair["first"], pair["last"]),
                                    blend=blend).factor for pair in pairs]
        table = engine.frame({"currency": [pair["currency"] for pair in pairs],
                              "first": [pair["first"] for pair in pairs], "last": [pair["last"] for pair in pairs],
                              "_top": [factor.numerator for factor in factors],
                              "_bottom": [factor.denominator for factor in factors]},
                             like=frame, amounts=("_top", "_bottom"))
        converted = frame.join(table, on=["currency", "first", "last"], how="left").with_columns(
            amount=engine.scale(nw.col("amount"), nw.col("_top"), nw.col("_bottom")),
            currency=nw.lit(target.code),
        )
        return engine.finish(converted.select(columns), ["amount"])

    return polars_errors(run)


def calendarize(facts: object) -> Any:  # noqa: ANN401
    """The facts restated over calendar years, by months, as `capexmodel.calendarize` does.

    Each amount counts in proportion to the months its period shares with a year;
    a year is restated only when the facts of one series (company, metric, basis,
    market, currency) cover its twelve months with no gap and no overlap, and the
    sum is rounded once to 18 places. Otherwise ``amount`` is null and ``reason``
    says why ("covers 9 of 12 months", "the facts overlap"). Periods longer than
    twelve months are refused. The result has the series columns, ``period_start``,
    ``period_end``, ``amount``, ``months`` and ``reason``.

    Examples:
        >>> import capexmodel as cm, polars as pl
        >>> from capexmodel import frames
        >>> oracle = pl.DataFrame({
        ...     "company": "oracle", "metric": "capex", "currency": "USD",
        ...     "period_start": [dt.date(2023, 12, 1), dt.date(2024, 3, 1), dt.date(2024, 6, 1), dt.date(2024, 9, 1),
        ...                      dt.date(2024, 12, 1)],
        ...     "period_end": [dt.date(2024, 2, 29), dt.date(2024, 5, 31), dt.date(2024, 8, 31),
        ...                    dt.date(2024, 11, 30), dt.date(2025, 2, 28)],
        ...     "amount": [1674, 2798, 2303, 3970, 5862]})
        >>> years = frames.calendarize(oracle).sort("period_start")
        >>> years.select("period_start", "amount", "reason").rows()[1]
        (datetime.date(2024, 1, 1), Decimal('12141.000000000000000000'), None)
    """
    nw = narwhals()
    engine, frame = prepare(facts, "calendarize")

    def run() -> Any:  # noqa: ANN401
        length = nw.col("last") - nw.col("first") + 1
        long = engine.collect(frame.filter(length > 12).select("company", "metric", "first", "last").head(1))
        if long:
            row = long[0]
            msg = (f"calendarize() splits periods of twelve months or fewer, got {row['company']} {row['metric']}"
                   f" over {month_start(row['first'])} to {month_end(row['last'])}")
            raise InvalidPeriodError(msg)
        bounds = engine.collect(frame.select(nw.col("first").min().alias("low"), nw.col("last").max().alias("high")))
        work = frame.with_columns(nw.col("market").fill_null(""), length=length, y0=nw.col("first") // 12,
                                  y1=nw.col("last") // 12)
        keys = [*_SERIES, "year"]
        first_year = work.select(
            *_SERIES, nw.col("y0").alias("year"), (nw.col("first") - nw.col("y0") * 12).alias("low"),
            nw.when(nw.col("y1") > nw.col("y0")).then(nw.lit(11)).otherwise(nw.col("last") - nw.col("y0") * 12)
            .alias("high"), "amount", "length")
        second_year = work.filter(nw.col("y1") > nw.col("y0")).select(
            *_SERIES, nw.col("y1").alias("year"), (nw.col("y1") * 0).alias("low"),
            (nw.col("last") - nw.col("y1") * 12).alias("high"), "amount", "length")
        parts = nw.concat([first_year, second_year]).with_columns(months=nw.col("high") - nw.col("low") + 1)
        parts = parts.with_columns(
            value=engine.multiply(nw.col("amount"), nw.col("months") * (_MONTHS_LCM // nw.col("length"))),
            mask=nw.lit(2) ** (nw.col("high") + 1) - nw.lit(2) ** nw.col("low"))
        years = parts.group_by(*keys).agg(nw.col("value").sum(), nw.col("months").sum(), nw.col("mask").sum())
        complete = (nw.col("months") == 12) & (nw.col("mask") == _WHOLE_YEAR)
        reason = nw.when(complete).then(nw.lit(None, nw.String)).otherwise(
            nw.when(nw.col("months") < 12).then(
                nw.concat_str([nw.lit("covers "), nw.col("months").cast(nw.String), nw.lit(" of 12 months")]))
            .otherwise(nw.lit("the facts overlap")))
        years = years.with_columns(
            amount=nw.when(complete).then(engine.scale(nw.col("value"), 1, _MONTHS_LCM)).otherwise(None),
            reason=reason,
            market=nw.when(nw.col("market") == "").then(nw.lit(None, nw.String)).otherwise(nw.col("market")))
        span = range(bounds[0]["low"] // 12, bounds[0]["high"] // 12 + 1) if bounds[0]["low"] is not None else ()
        calendar = engine.frame({"year": list(span), "period_start": [month_start(year * 12) for year in span],
                                 "period_end": [month_end(year * 12 + 11) for year in span]}, like=years)
        dated = years.join(calendar, on="year", how="left")
        return engine.finish(dated.select(*_SERIES, "period_start", "period_end", "amount", "months", "reason"),
                             ["amount"])

    return polars_errors(run)


def totals(facts: object, companies: Iterable[Company]) -> Any:  # noqa: ANN401
    """Totals by region, metric, basis and period: the amounts added up exactly, as `capexmodel.total` does.

    `companies` says each company's region (``Dataset.companies``); a company it does
    not list is `UnknownCompanyError`. Facts with a market are left out. A total needs
    one currency: a region whose amounts mix currencies is `CurrencyMismatchError`
    (convert first). ``facts`` counts the facts added up.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> ds = cm.load_dataset()
        >>> usd = frames.convert(ds.to_frame("polars").filter(metric="capex"), ds.rates, "USD")
        >>> us = frames.totals(usd, ds.companies).filter(region="US", period_start=dt.date(2024, 1, 1))
        >>> us.select("amount", "facts").row(0)
        (Decimal('258000000000.000000000000000000'), 5)
    """
    from capexmodel._company import Company  # noqa: PLC0415

    regions = {}
    for company in companies:
        if not isinstance(company, Company):
            msg = f"companies must be capexmodel.Company values, got {show(company)}"
            raise InvalidValueError(msg)
        regions[company.id] = company.region.code
    nw = narwhals()
    engine, frame = prepare(facts, "totals")

    def run() -> Any:  # noqa: ANN401
        kept = frame.filter(nw.col("market").is_null())
        seen = [row["company"] for row in engine.collect(kept.select("company").unique())]
        unknown = sorted(company for company in seen if company not in regions)
        if unknown:
            msg = f"no region for {', '.join(unknown)}: pass the companies of the table (known: {', '.join(regions)})"
            raise UnknownCompanyError(msg)
        table = engine.frame({"company": list(regions), "region": list(regions.values())}, like=kept)
        keys = ["region", "metric", "basis", "first", "last"]
        sums = kept.join(table, on="company", how="left").group_by(*keys, "currency").agg(
            nw.col("amount").sum(), nw.col("company").count().alias("facts"),
            nw.col("period_start").min(), nw.col("period_end").max())
        mixed = engine.collect(sums.group_by(*keys).agg(nw.col("currency").count().alias("currencies"))
                               .filter(nw.col("currencies") > 1).head(1))
        if mixed:
            row = mixed[0]
            msg = (f"the {row['metric']} of {row['region']} over {month_start(row['first'])} to"
                   f" {month_end(row['last'])} is in several currencies: convert the table first")
            raise CurrencyMismatchError(msg)
        return engine.finish(sums.select("region", "metric", "basis", "currency", "period_start", "period_end",
                                         "amount", "facts"), ["amount"])

    return polars_errors(run)


_RATIOS: dict[str, tuple[str, str]] = {
    "capex_intensity": ("revenue", "revenue"),
    "capex_to_operating_cash_flow": ("operating_cash_flow", "operating cash flow"),
    "capex_to_net_income": ("net_income", "net income"),
    "capex_to_depreciation": ("depreciation_and_amortization", "depreciation"),
}
_RATIO_SIGNALS = tuple(_RATIOS)
_INPUTS = ("capex", "revenue", "operating_cash_flow", "net_income", "depreciation_and_amortization")


def _pivot(engine: Engine, frame: Any, *, previous: tuple[str, ...] = ()) -> Any:  # noqa: ANN401
    """One row per company and period: each input's sum, count and currency (and a year earlier's, if asked)."""
    nw = narwhals()
    kept = frame.filter(nw.col("market").is_null() & nw.col("metric").is_in([*_INPUTS]))
    zero = engine.number(0)
    columns = [nw.lit(1).alias("_current")]
    for metric in _INPUTS:
        chosen = nw.col("metric") == metric
        columns += [nw.when(chosen).then(nw.col("amount")).otherwise(zero).alias(metric),
                    chosen.cast(nw.Int64).alias(f"{metric}_n"),
                    nw.when(chosen).then(nw.col("currency")).otherwise(nw.lit(None, nw.String))
                    .alias(f"{metric}_currency")]
    for metric in previous:
        columns += [zero.alias(f"{metric}_before"), nw.lit(0).cast(nw.Int64).alias(f"{metric}_before_n")]
    rows = kept.select("company", "first", "last", "period_start", "period_end", *columns)
    if previous:
        earlier = [nw.lit(0).alias("_current")]
        for metric in _INPUTS:
            earlier += [zero.alias(metric), nw.lit(0).cast(nw.Int64).alias(f"{metric}_n"),
                        nw.lit(None, nw.String).alias(f"{metric}_currency")]
        for metric in previous:
            chosen = nw.col("metric") == metric
            earlier += [nw.when(chosen).then(nw.col("amount")).otherwise(zero).alias(f"{metric}_before"),
                        chosen.cast(nw.Int64).alias(f"{metric}_before_n")]
        shifted = kept.filter(nw.col("metric").is_in([*previous])).select(
            "company", (nw.col("first") + 12).alias("first"), (nw.col("last") + 12).alias("last"),
            nw.lit(None).cast(rows.collect_schema()["period_start"]).alias("period_start"),
            nw.lit(None).cast(rows.collect_schema()["period_end"]).alias("period_end"), *earlier)
        rows = nw.concat([rows, shifted.select(rows.collect_schema().names())])
    sums = [nw.col(name).sum() for name in rows.collect_schema() if name.endswith("_n") or name in _INPUTS
            or name.endswith("_before") or name == "_current"]
    sums += [nw.col(f"{metric}_currency").max() for metric in _INPUTS]
    sums += [nw.col("period_start").max(), nw.col("period_end").max()]
    grouped = rows.group_by("company", "first", "last").agg(*sums)
    return grouped.filter(nw.col("_current") > 0)


def _first(checks: list[tuple[nw.Expr, nw.Expr]], default: nw.Expr) -> nw.Expr:
    """The value of the first check whose condition holds, else `default`."""
    nw = narwhals()
    result = default
    for condition, value in reversed(checks):
        result = nw.when(condition).then(value).otherwise(result)
    return result


def _first_reason(*checks: tuple[nw.Expr, str]) -> nw.Expr:
    """The reason of the first check that holds, or null."""
    nw = narwhals()
    return _first([(condition, nw.lit(text)) for condition, text in checks], nw.lit(None, nw.String))


def _pair_checks(capex: str, other: str, label: str) -> list[tuple[nw.Expr, str]]:
    nw = narwhals()
    return [
        (nw.col(f"{capex}_n") == 0, "no capex over the period"),
        (nw.col(f"{other}_n") == 0, f"no {label} over the period"),
        (nw.col(f"{capex}_n") > 1, "more than one capex fact over the period; keep one (filter by basis)"),
        (nw.col(f"{other}_n") > 1, f"more than one {label} fact over the period; keep one (filter by basis)"),
        (nw.col(f"{capex}_currency") != nw.col(f"{other}_currency"),
         f"capex and {label} are in different currencies; convert first"),
    ]


def _safe(engine: Engine, name: str) -> nw.Expr:
    """The column where it is positive, one elsewhere, so that dividing never fails on rows left null."""
    nw = narwhals()
    return nw.when(nw.col(name) > engine.number(0)).then(nw.col(name)).otherwise(engine.number(1))


def ratios(facts: object) -> Any:  # noqa: ANN401
    """Capex intensity, the cash-coverage ratios and free cash flow, per company and period.

    One row per company and period with any of capex, revenue, operating cash flow,
    net income or depreciation (facts with a market are left out). Each indicator
    follows its scalar function (`capex_intensity`, `capex_to_operating_cash_flow`,
    `capex_to_net_income`, `capex_to_depreciation`, `free_cash_flow`); where that
    function would raise, the value is null and ``<name>_reason`` says why (no capex,
    two facts for one input, currencies that differ, negative capex, a denominator
    that is not positive). Ratios are rounded once, half to even, to 18 places.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> table = frames.ratios(cm.load_dataset().to_frame("polars"))
        >>> meta = table.filter(company="meta", period_start=dt.date(2024, 1, 1))
        >>> meta.select("capex_intensity", "capex_to_net_income_reason").row(0)
        (Decimal('0.226478562440349906'), 'no net income over the period')
    """
    nw = narwhals()
    engine, frame = prepare(facts, "ratios")

    def run() -> Any:  # noqa: ANN401
        table = _pivot(engine, frame)
        columns: list[nw.Expr] = []
        names: list[str] = []
        for name, (other, label) in _RATIOS.items():
            reason = _first_reason(*_pair_checks("capex", other, label),
                                   (nw.col("capex") < engine.number(0), "capex is negative; capex is a positive"
                                    " outflow"),
                                   (nw.col(other) <= engine.number(0), f"{label} is not positive"))
            value = engine.divide(nw.col("capex"), _safe(engine, other))
            columns += [nw.when(reason.is_null()).then(value).otherwise(None).alias(name), reason.alias(f"{name}_reason")]
            names.append(name)
        reason = _first_reason(*_pair_checks("capex", "operating_cash_flow", "operating cash flow"),
                               (nw.col("capex") < engine.number(0), "capex is negative; capex is a positive outflow"))
        value = nw.col("operating_cash_flow") - nw.col("capex")
        columns += [nw.when(reason.is_null()).then(value).otherwise(None).alias("free_cash_flow"),
                    reason.alias("free_cash_flow_reason")]
        result = table.with_columns(*columns, currency=nw.col("capex_currency")).select(
            "company", "period_start", "period_end", "currency",
            *[column for name in [*names, "free_cash_flow"] for column in (name, f"{name}_reason")])
        return engine.finish(result, [*names, "free_cash_flow"])

    return polars_errors(run)


def year_over_year(facts: object) -> Any:  # noqa: ANN401
    """Each amount's growth against the same months a year earlier, as `capexmodel.growth` computes it.

    One row per fact of twelve months or less (per series: company, metric, basis,
    market, currency), with ``previous`` (the amount a year earlier) and ``growth``
    (``amount / previous − 1``, rounded once to 18 places). Where the scalar
    function would raise or leave the amount out, ``growth`` is null and ``reason``
    says why: no amount a year earlier, a base that is not positive, two facts for
    one period, a period longer than a year.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> table = frames.year_over_year(cm.load_dataset().to_frame("polars"))
        >>> meta = table.filter(company="meta", metric="capex", period_start=dt.date(2024, 1, 1))
        >>> meta.select("amount", "previous", "growth").row(0)[2]
        Decimal('0.366390376292818896')
    """
    nw = narwhals()
    engine, frame = prepare(facts, "year_over_year")

    def run() -> Any:  # noqa: ANN401
        zero = engine.number(0)
        keyed = frame.with_columns(nw.col("market").fill_null(""))
        schema = keyed.collect_schema()
        current = keyed.select(*_SERIES, "first", "last", "period_start", "period_end", "amount",
                               nw.lit(1).cast(nw.Int64).alias("_n"), zero.alias("previous"),
                               nw.lit(0).cast(nw.Int64).alias("_before_n"))
        earlier = keyed.select(*_SERIES, (nw.col("first") + 12).alias("first"), (nw.col("last") + 12).alias("last"),
                               nw.lit(None).cast(schema["period_start"]).alias("period_start"),
                               nw.lit(None).cast(schema["period_end"]).alias("period_end"), zero.alias("amount"),
                               nw.lit(0).cast(nw.Int64).alias("_n"), nw.col("amount").alias("previous"),
                               nw.lit(1).cast(nw.Int64).alias("_before_n"))
        rows = nw.concat([current, earlier.select(current.collect_schema().names())])
        grouped = rows.group_by(*_SERIES, "first", "last").agg(
            nw.col("amount").sum(), nw.col("previous").sum(), nw.col("_n").sum(), nw.col("_before_n").sum(),
            nw.col("period_start").max(), nw.col("period_end").max()).filter(nw.col("_n") > 0)
        reason = _first_reason(
            (nw.col("last") - nw.col("first") >= 12,
             "year over year compares periods of twelve months or fewer"),
            ((nw.col("_n") > 1) | (nw.col("_before_n") > 1),
             "more than one amount over the period or a year earlier; keep one (filter by basis)"),
            (nw.col("_before_n") == 0, "no amount a year earlier"),
            (nw.col("previous") <= zero, "the amount a year earlier is not positive"),
        )
        growth = engine.divide(nw.col("amount") - nw.col("previous"), _safe(engine, "previous"))
        result = grouped.with_columns(
            growth=nw.when(reason.is_null()).then(growth).otherwise(None),
            previous=nw.when(nw.col("_before_n") == 1).then(nw.col("previous")).otherwise(None),
            reason=reason,
            market=nw.when(nw.col("market") == "").then(nw.lit(None, nw.String)).otherwise(nw.col("market")),
        ).select(*_SERIES, "period_start", "period_end", "amount", "previous", "growth", "reason")
        return engine.finish(result, ["amount", "previous", "growth"])

    return polars_errors(run)


def bubble_signals(facts: object, thresholds: Mapping[str, object] | None = None) -> Any:  # noqa: ANN401
    """The six bubble-risk signals of `capexmodel.bubble_risk`, for every company and period.

    One row per company, period and signal: ``value`` (null when undefined),
    ``threshold``, ``fires`` (true, false, or null when unknown) and ``reason``
    (why the value is null). The rules are the scalar ones: a missing input is
    unknown; a negative capex is unknown; capex against a cash, profit or revenue
    measure that is not positive fires without a value, unless there is no capex;
    growth needs the same months a year earlier. Inputs of one signal in different
    currencies, or two facts for one input, are unknown with a reason (the scalar
    function raises). `thresholds` overrides the defaults, by signal name.

    Examples:
        >>> import capexmodel as cm
        >>> from capexmodel import frames
        >>> signals = frames.bubble_signals(cm.load_dataset().to_frame("polars"))
        >>> meta = signals.filter(company="meta", period_start=dt.date(2024, 1, 1), fires=True)
        >>> meta["signal"].to_list()
        ['capex_intensity']
    """
    from capexmodel._risk import DEFAULT_THRESHOLDS, _settings  # noqa: PLC0415

    limits = _settings(thresholds, {name: spec[0] for name, spec in DEFAULT_THRESHOLDS.items()}, "thresholds")
    nw = narwhals()
    engine, frame = prepare(facts, "bubble_signals")

    def run() -> Any:  # noqa: ANN401
        table = _pivot(engine, frame, previous=("capex", "revenue"))
        parts = [_signal_rows(engine, table, name, limits[name], direction)
                 for name, (_, direction, _) in DEFAULT_THRESHOLDS.items()]
        return engine.finish(nw.concat(parts), ["value", "threshold"], flags=["fires"])

    return polars_errors(run)


_NEGATIVE_CAPEX = "capex is negative; capex is a positive outflow"


def _signal_rows(engine: Engine, table: Any, name: str, limit: Decimal, direction: str) -> Any:  # noqa: ANN401
    """One signal's rows: its value, whether it fires, and why it has no value.

    `unknown` lists what makes the signal unknown; `undefined` what makes its
    indicator undefined, with whether the signal then fires (the worst case does,
    unless there is no capex).
    """
    nw = narwhals()
    zero = engine.number(0)
    capex = nw.col("capex")
    # Whether a signal fires is "true", "false" or null until it leaves: pandas cannot hold a null boolean.
    true, false, unknown_flag = nw.lit("true"), nw.lit("false"), nw.lit(None, nw.String)
    unless_no_capex = nw.when(capex != zero).then(true).otherwise(false)
    if name in _RATIO_SIGNALS:
        other, label = _RATIOS[name]
        unknown = [*_pair_checks("capex", other, label), (capex < zero, _NEGATIVE_CAPEX)]
        undefined = [(nw.col(other) <= zero, f"{label} is not positive", unless_no_capex)]
        value = engine.divide(capex, _safe(engine, other))
    elif name == "free_cash_flow_margin":
        unknown = [*_pair_checks("capex", "operating_cash_flow", "operating cash flow"),
                   *_pair_checks("capex", "revenue", "revenue")[1:], (capex < zero, _NEGATIVE_CAPEX)]
        undefined = [(nw.col("revenue") <= zero, "revenue is not positive", unless_no_capex)]
        value = engine.divide(nw.col("operating_cash_flow") - capex, _safe(engine, "revenue"))
    else:  # capex growth minus revenue growth, against the same months a year earlier
        unknown = [
            *_pair_checks("capex", "revenue", "revenue"),
            (nw.col("capex_before_n") == 0, "no capex a year earlier"),
            (nw.col("revenue_before_n") == 0, "no revenue a year earlier"),
            ((nw.col("capex_before_n") > 1) | (nw.col("revenue_before_n") > 1),
             "more than one capex or revenue fact a year earlier; keep one (filter by basis)"),
        ]
        undefined = [
            (nw.col("capex_before") <= zero, "capex a year earlier is not positive", unless_no_capex),
            (nw.col("revenue_before") <= zero, "revenue a year earlier is not positive",
             nw.when(capex != zero).then(unknown_flag).otherwise(false)),
        ]
        value = (engine.divide(capex - nw.col("capex_before"), _safe(engine, "capex_before"))
                 - engine.divide(nw.col("revenue") - nw.col("revenue_before"), _safe(engine, "revenue_before")))
    checks = [(condition, nw.lit(text)) for condition, text in unknown]
    checks += [(condition, nw.lit(text)) for condition, text, _ in undefined]
    reason = _first(checks, nw.lit(None, nw.String))
    compared = value > engine.number(limit) if direction == "above" else value < engine.number(limit)
    unknown_fires = [(condition, unknown_flag) for condition, _ in unknown]
    fires = _first([*unknown_fires, *[(condition, then) for condition, _, then in undefined]],
                   nw.when(compared).then(true).otherwise(false))
    return table.select(
        "company", "period_start", "period_end", nw.col("capex_currency").alias("currency"),
        nw.lit(name).alias("signal"), nw.when(reason.is_null()).then(value).otherwise(None).alias("value"),
        engine.number(limit).alias("threshold"), fires.alias("fires"), reason.alias("reason"))
