"""Benchmark the table functions on a million facts, against hand-written polars and the scalar API.

Run it from the project root, with the project's virtualenv::

    .venv/bin/python benchmarks/bench_frames.py            # 2,000 companies x 125 quarters x 4 metrics
    .venv/bin/python benchmarks/bench_frames.py --companies 200   # a quicker look

The panel: 2,000 companies, 125 quarters each (a third of them on fiscal quarters
ending a month later, a third two months later, so calendarizing splits quarters
across years), 4 metrics (capex, revenue, operating cash flow, net income), half
the companies in USD and half in CNY: 1,000,000 facts. The work, timed as one
pipeline: convert to USD with a yearly rate table (month-weighted blends where a
quarter straddles two years), calendarize to years, capex intensity per company
and year, growth year over year per company, metric and year.

Rows, each a ratio of timings taken in the same run:

- the frames path on polars (`capexmodel.frames`) against a hand-written polars
  pipeline doing the same work with the same exact decimal(38, 18) arithmetic
  (and the same rate factors); target: at most 1.2;
- the scalar API (`Money`, `RateTable.convert`, `calendarize`, `capex_intensity`,
  `growth`) on a 10,000-fact slice, per fact, against the frames path per fact; no
  target, it shows what the table layer is for.

Each path runs in a fresh interpreter, which reports its fastest of a few runs and
its peak resident memory (``ru_maxrss``) above what the interpreter held once the
libraries were imported and the panel built. The frames and hand-written results
are compared value by value, so the baseline really does the same work. The
script exits with status 0: it is a report, and its last line says whether the
target was met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from typing import Any, Final

TARGET: Final = 1.2
QUARTERS: Final = 125
METRICS: Final = ("capex", "revenue", "operating_cash_flow", "net_income")
FIRST_YEAR: Final = 1995
SCALAR_FACTS: Final = 10_000
RUNS: Final = 5


def rates() -> Any:  # noqa: ANN401 -- a capexmodel.RateTable
    """A yearly USD/CNY rate for every year the panel touches."""
    import capexmodel as cm  # noqa: PLC0415

    years = range(FIRST_YEAR, FIRST_YEAR + QUARTERS // 4 + 2)
    return cm.RateTable(
        [cm.ExchangeRate("USD", "CNY", f"{6 + (year % 7) / 10:.4f}", cm.CalendarYear(year)) for year in years]
    )


def panel(companies: int) -> Any:  # noqa: ANN401 -- a polars DataFrame in the facts table layout
    """The synthetic panel, built with polars expressions."""
    import polars as pl  # noqa: PLC0415

    grid = (
        pl.DataFrame({"c": pl.int_range(companies, eager=True)})
        .join(pl.DataFrame({"q": pl.int_range(QUARTERS, eager=True)}), how="cross")
        .join(pl.DataFrame({"m": pl.int_range(len(METRICS), eager=True)}), how="cross")
    )
    first = FIRST_YEAR * 12 + pl.col("q") * 3 + pl.col("c") % 3
    last = first + 2
    size = (pl.col("c") * 7919 + pl.col("q") * 104_729 + pl.col("m") * 1_299_709) % 1_000_000 + 1
    revenue_scale = pl.when(pl.col("m") == 1).then(20).otherwise(1)
    return grid.select(
        company=pl.format("c{}", pl.col("c")),
        metric=pl.col("m").replace_strict(dict(enumerate(METRICS)), return_dtype=pl.String),
        period_start=pl.date(first // 12, first % 12 + 1, 1),
        period_end=pl.date(last // 12, last % 12 + 1, 1).dt.month_end(),
        currency=pl.when(pl.col("c") % 2 == 0).then(pl.lit("USD")).otherwise(pl.lit("CNY")),
        amount=(size * revenue_scale * 1000 + pl.col("q") * 17).cast(pl.Decimal(38, 2)) / 100,
    )


def frames_path(facts: Any, table: Any) -> tuple[Any, Any]:  # noqa: ANN401
    """The work through `capexmodel.frames`: convert, calendarize, then intensity and growth.

    As in the hand-written pipeline, the table flows as a LazyFrame and the two
    results are computed together (`frames.collect_all`), so the steps they share run once.
    """
    from capexmodel import frames  # noqa: PLC0415

    years = frames.calendarize(frames.convert(facts.lazy(), table, "USD", blend=True))
    intensity, growth = frames.collect_all(frames.ratios(years), frames.year_over_year(years))
    return intensity, growth


def polars_path(facts: Any, table: Any) -> tuple[Any, Any]:  # noqa: ANN401
    """The same work written directly in polars, as an analyst fluent in it would."""
    import polars as pl  # noqa: PLC0415

    from capexmodel._model.period import Period  # noqa: PLC0415

    exact, whole = pl.Decimal(38, 18), pl.Decimal(38, 0)
    month = pl.col("period_start").dt.year().cast(pl.Int64) * 12 + pl.col("period_start").dt.month() - 1
    end = pl.col("period_end").dt.year().cast(pl.Int64) * 12 + pl.col("period_end").dt.month() - 1
    indexed = facts.lazy().with_columns(first=month, last=end)
    pairs = indexed.select("currency", "first", "last").unique().collect()
    factors = [
        table.conversion(currency, "USD", Period._from_indices(first, last), blend=True).factor
        for currency, first, last in pairs.iter_rows()
    ]
    pairs = pairs.with_columns(
        top=pl.Series([f.numerator for f in factors], dtype=whole),
        bottom=pl.Series([f.denominator for f in factors], dtype=whole),
    )
    usd = indexed.join(pairs.lazy(), on=["currency", "first", "last"]).with_columns(
        amount=pl.col("amount").cast(exact) * pl.col("top") / pl.col("bottom")
    )
    length = pl.col("last") - pl.col("first") + 1
    y0, y1 = pl.col("first") // 12, pl.col("last") // 12
    head = usd.select(
        "company",
        "metric",
        year=y0,
        months=pl.min_horizontal("last", y0 * 12 + 11) - pl.col("first") + 1,
        amount="amount",
        length=length,
    )
    tail = usd.filter(y1 > y0).select(
        "company", "metric", year=y1, months=pl.col("last") - y1 * 12 + 1, amount="amount", length=length
    )
    years = (
        pl.concat([head, tail])
        .with_columns(value=pl.col("amount") * (pl.col("months") * (27720 // pl.col("length"))).cast(whole))
        .group_by("company", "metric", "year")
        .agg(pl.col("value").sum(), pl.col("months").sum())
        .filter(pl.col("months") == 12)  # noqa: PLR2004 -- a whole year
        .select("company", "metric", "year", amount=pl.col("value") / pl.lit(27720, whole))
    )
    capex = years.filter(metric="capex").select("company", "year", capex="amount")
    revenue = years.filter(metric="revenue").select("company", "year", revenue="amount")
    intensity = capex.join(revenue, on=["company", "year"]).filter(pl.col("capex") >= 0, pl.col("revenue") > 0)
    intensity = intensity.select("company", "year", capex_intensity=pl.col("capex") / pl.col("revenue"))
    before = years.select("company", "metric", pl.col("year") + 1, previous="amount")
    growth = years.join(before, on=["company", "metric", "year"]).filter(pl.col("previous") > 0)
    growth = growth.select(
        "company", "metric", "year", growth=(pl.col("amount") - pl.col("previous")) / pl.col("previous")
    )
    return tuple(pl.collect_all([intensity, growth]))  # type: ignore[return-value]


def scalar_path(facts: Any, table: Any) -> int:  # noqa: ANN401
    """The scalar API over the same facts: Money, conversion, calendarize, intensity, growth."""
    import capexmodel as cm  # noqa: PLC0415

    series: dict[tuple[str, str], list[cm.Money]] = {}
    for company, metric, start, end, currency, amount in facts.select(
        "company", "metric", "period_start", "period_end", "currency", "amount"
    ).iter_rows():
        money = table.convert(cm.Money(amount, currency, cm.Period(start, end)), "USD", blend=True)
        series.setdefault((company, metric), []).append(money)
    years: dict[tuple[str, str], dict[int, cm.Money]] = {}
    for key, amounts in series.items():
        for year in range(amounts[0].period.start.year, amounts[-1].period.end.year + 1):
            try:
                years.setdefault(key, {})[year] = cm.calendarize(amounts, cm.CalendarYear(year)).value
            except cm.PeriodMismatchError:
                continue
    count = 0
    for (company, metric), values in years.items():
        for year, value in values.items():
            if metric == "capex" and year in years.get((company, "revenue"), {}):
                cm.capex_intensity(value, years[company, "revenue"][year])
                count += 1
            if year - 1 in values and values[year - 1].amount > 0:
                cm.growth(value, values[year - 1])
                count += 1
    return count


def child(path: str, companies: int) -> None:
    """Time one path in this fresh interpreter; print its timings and memory as JSON."""
    import narwhals  # noqa: F401, PLC0415
    import polars as pl  # noqa: PLC0415

    import capexmodel as cm  # noqa: F401, PLC0415 -- imported before the baseline memory is read

    table = rates()
    facts = panel(companies if path != "scalar" else SCALAR_FACTS // (QUARTERS * len(METRICS)))
    if path != "scalar":
        facts = facts.rechunk()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    timings, result = [], None
    for _ in range(1 if path == "scalar" else RUNS):
        start = time.perf_counter()
        if path == "frames":
            result = frames_path(facts, table)
        elif path == "polars":
            result = polars_path(facts, table)
        else:
            scalar_path(facts, table)
        timings.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary: dict[str, object] = {"seconds": min(timings), "facts": facts.height, "peak_mib": (peak - baseline) / 1024}
    if result is not None:
        intensity, growth = result
        if path == "frames":
            intensity = intensity.filter(pl.col("capex_intensity").is_not_null()).select(
                "company", year=pl.col("period_start").dt.year().cast(pl.Int64), capex_intensity="capex_intensity"
            )
            growth = growth.filter(pl.col("growth").is_not_null()).select(
                "company", "metric", year=pl.col("period_start").dt.year().cast(pl.Int64), growth="growth"
            )
        summary["intensity"] = sorted(map(str, intensity.sort("company", "year").rows()))[
            :: max(1, intensity.height // 2000)
        ]
        summary["intensity_rows"] = intensity.height
        summary["growth_rows"] = growth.height
        summary["growth_sum"] = str(growth["growth"].cast(pl.Decimal(38, 18)).sum())
    print(json.dumps(summary, default=str))


def run(path: str, companies: int) -> dict[str, Any]:
    """Run one path in a fresh interpreter and read its report."""
    process = subprocess.run(
        [sys.executable, __file__, "--child", path, "--companies", str(companies)],
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode:
        sys.stderr.write(process.stderr)
        msg = f"the {path} run failed"
        raise SystemExit(msg)
    result: dict[str, Any] = json.loads(process.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Run the three paths and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--companies", type=int, default=2000)
    parser.add_argument("--child", choices=["frames", "polars", "scalar"])
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child, arguments.companies)
        return
    print(f"capexmodel frames benchmark, {dt.datetime.now(tz=dt.UTC):%Y-%m-%d %H:%M} UTC")
    frames_run, polars_run = run("frames", arguments.companies), run("polars", arguments.companies)
    scalar_run = run("scalar", arguments.companies)
    same = all(
        frames_run[key] == polars_run[key] for key in ("intensity", "intensity_rows", "growth_rows", "growth_sum")
    )
    ratio = frames_run["seconds"] / polars_run["seconds"]
    per_fact = (scalar_run["seconds"] / scalar_run["facts"]) / (frames_run["seconds"] / frames_run["facts"])
    rows = [
        ("frames on polars", frames_run),
        ("hand-written polars", polars_run),
        ("scalar API", scalar_run),
    ]
    for name, result in rows:
        print(
            f"{name:<22} {result['facts']:>9,} facts  {result['seconds']:8.3f} s"
            f"  {result['seconds'] / result['facts'] * 1e6:8.2f} us/fact  peak +{result['peak_mib']:7.1f} MiB"
        )
    print(
        f"same results (intensity {frames_run['intensity_rows']:,} rows, growth {frames_run['growth_rows']:,}"
        f" rows): {'yes' if same else 'NO'}"
    )
    print(f"scalar API per fact / frames per fact: {per_fact:,.0f}x")
    met = ratio <= TARGET and same
    print(f"frames / hand-written polars: {ratio:.2f} (target <= {TARGET}): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
