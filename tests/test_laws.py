"""The algebraic laws of the model, conversion, calendarization and provenance, checked by Hypothesis."""

import datetime as dt
import decimal
import functools
import itertools
import operator
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
from capexmodel._context import QUOTIENT_DIGITS
from tests import strategies as cms


@st.composite
def three_amounts(draw):
    currency, period = draw(cms.currencies), draw(cms.periods())
    return tuple(draw(cms.money(currency, period)) for _ in range(3))


@given(three_amounts())
def test_addition_is_commutative(amounts):
    a, b, _ = amounts
    assert a + b == b + a


@given(three_amounts())
def test_addition_is_associative(amounts):
    a, b, c = amounts
    assert (a + b) + c == a + (b + c)


@given(three_amounts())
def test_subtraction_undoes_addition(amounts):
    a, b, _ = amounts
    assert (a + b) - b == a
    assert a - a == a * 0


@given(three_amounts(), cms.factors)
def test_scaling_distributes_over_addition(amounts, k):
    a, b, _ = amounts
    assert (a + b) * k == a * k + b * k


@given(cms.money(), st.integers(min_value=1, max_value=10**6) | st.integers(min_value=-(10**6), max_value=-1))
def test_dividing_a_product_by_its_factor_is_exact(amount, k):
    assert (amount * k) / k == amount


@given(cms.money(), st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=30))
def test_dividing_by_powers_of_two_and_five_never_rounds(amount, twos, fives):
    divisor = 2**twos * 5**fives
    assert (amount / divisor) * divisor == amount


@given(cms.money_lists(), st.randoms())
def test_total_does_not_depend_on_order(amounts, random):
    shuffled = list(amounts)
    random.shuffle(shuffled)
    assert cm.total(shuffled) == cm.total(amounts)


@given(cms.money_lists())
def test_total_equals_repeated_addition(amounts):
    assert cm.total(amounts) == functools.reduce(operator.add, amounts)
    assert cm.total(amounts) == sum(amounts)


@given(cms.money_lists(min_size=2))
def test_total_of_a_split_list_is_the_total_of_the_totals(amounts):
    middle = len(amounts) // 2
    assert cm.total(amounts) == cm.total(amounts[:middle]) + cm.total(amounts[middle:])


@given(cms.fiscal_calendars, cms.years, cms.currencies, st.lists(cms.amounts, min_size=4, max_size=4), st.randoms())
def test_combining_a_fiscal_years_quarters_gives_the_year(calendar, year, currency, amounts, random):
    quarters = [cm.Money(amount, currency, calendar.quarter(year, q)) for q, amount in enumerate(amounts, start=1)]
    with decimal.localcontext(prec=200):  # the expected sum, exactly
        expected = cm.Money(sum(amounts), currency, calendar.year(year))
    assert cm.combine_periods(quarters) == expected
    random.shuffle(quarters)
    assert cm.combine_periods(quarters) == expected


@given(cms.fiscal_calendars, cms.years)
def test_the_quarters_of_a_fiscal_year_tile_it(calendar, year):
    quarters = [calendar.quarter(year, q) for q in (1, 2, 3, 4)]
    fiscal_year = calendar.year(year)
    assert quarters[0].start == fiscal_year.start
    assert quarters[-1].end == fiscal_year.end
    assert all(quarter.month_count == 3 for quarter in quarters)
    for earlier, later in itertools.pairwise(quarters):
        assert earlier.is_adjacent_to(later)
        assert not earlier.overlaps(later)
    assert [calendar.half(year, 1).start, calendar.half(year, 2).end] == [fiscal_year.start, fiscal_year.end]


@given(cms.fiscal_calendars, cms.dates)
def test_any_date_falls_in_exactly_one_fiscal_quarter(calendar, date):
    candidates = [
        (year, q)
        for year in (date.year - 1, date.year, date.year + 1)
        for q in (1, 2, 3, 4)
        if calendar.quarter(year, q).contains(date)
    ]
    assert candidates == [calendar.quarter_of(date)]
    assert calendar.year_of(date) == candidates[0][0]
    assert calendar.year(calendar.year_of(date)).contains(date)


@given(cms.periods(max_months=150))
def test_labels_parse_back_to_the_same_period(period):
    assert cm.Period.parse(period.label) == period
    assert cm.Period.from_months((period.start.year, period.start.month), (period.end.year, period.end.month)) == period


@given(cms.periods(), cms.periods())
def test_adjacent_periods_never_overlap_and_overlap_is_symmetric(a, b):
    assert a.overlaps(b) == b.overlaps(a)
    assert a.is_adjacent_to(b) == b.is_adjacent_to(a)
    assert not (a.is_adjacent_to(b) and a.overlaps(b))
    if a.contains(b):
        assert a.overlaps(b)


@given(cms.periods())
def test_month_count_matches_the_dates(period):
    months = (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1
    assert period.month_count == months
    next_day = period.end + dt.timedelta(days=1)
    assert next_day.day == 1
    assert (next_day.year - period.start.year) * 12 + next_day.month - period.start.month == months


@given(cms.companies())
def test_companies_survive_a_round_trip_through_their_fields(company):
    import attrs  # noqa: PLC0415

    assert cm.Company(**attrs.asdict(company, recurse=False)) == company


# Conversion ------------------------------------------------------------------------------


def ulp(value: Decimal) -> Decimal:
    """One unit in the last place of `value` at the precision the library rounds quotients to."""
    if not value:
        return Decimal(0)
    return Decimal(1).scaleb(value.adjusted() - QUOTIENT_DIGITS + 1)


def one_rate_table(rate, period):
    return cm.RateTable([cm.ExchangeRate("USD", "CNY", rate, period)])


@given(cms.rates, cms.periods(), cms.amounts)
def test_converting_there_and_back_returns_the_amount_within_rounding(rate, period, amount):
    table = one_rate_table(rate, period)
    for there, back in (("CNY", "USD"), ("USD", "CNY")):
        money = cm.Money(amount, there, period)
        returned = table.convert(table.convert(money, back), there)
        assert abs(returned.amount - money.amount) <= 6 * ulp(money.amount)


@given(cms.power_of_ten_rates, cms.periods(), cms.amounts)
def test_converting_there_and_back_is_exact_for_powers_of_ten(rate, period, amount):
    table = one_rate_table(rate, period)
    for there, back in (("CNY", "USD"), ("USD", "CNY")):
        money = cm.Money(amount, there, period)
        assert table.convert(table.convert(money, back), there) == money


@given(cms.rates, three_amounts(), st.sampled_from(["USD", "CNY"]))
def test_conversion_is_additive_within_rounding(rate, amounts, target):
    a, b, _ = amounts
    table = one_rate_table(rate, a.period)
    source = "CNY" if target == "USD" else "USD"
    a, b = cm.Money(a.amount, source, a.period), cm.Money(b.amount, source, a.period)
    together, apart = table.convert(a + b, target), table.convert(a, target) + table.convert(b, target)
    largest = max(abs(together.amount), abs(table.convert(a, target).amount), abs(table.convert(b, target).amount))
    assert abs(together.amount - apart.amount) <= ulp(largest) * Decimal("1.5")


@given(cms.rates, cms.money(currency=cm.Currency("CNY")), cms.factors)
def test_conversion_is_homogeneous_within_rounding(rate, money, k):
    table = one_rate_table(rate, money.period)
    scaled_first, scaled_after = table.convert(money * k, "USD"), table.convert(money, "USD") * k
    bound = ulp(scaled_first.amount) / 2 + abs(Decimal(k)) * ulp(table.convert(money, "USD").amount) / 2
    assert abs(scaled_first.amount - scaled_after.amount) <= bound


@given(cms.rates, cms.periods(), st.lists(cms.amounts, min_size=1, max_size=20))
def test_totalling_then_converting_equals_converting_then_totalling(rate, period, amounts):
    table = one_rate_table(rate, period)
    direct = [cm.Money(amount, "USD", period) for amount in amounts]  # multiplying by the rate is exact
    assert table.convert(cm.total(direct), "CNY") == cm.total(table.convert(m, "CNY") for m in direct)
    inverse = [cm.Money(amount, "CNY", period) for amount in amounts]  # dividing rounds, once per amount
    converted = [table.convert(m, "USD") for m in inverse]
    bound = ulp(table.convert(cm.total(inverse), "USD").amount) / 2 + sum(ulp(m.amount) / 2 for m in converted)
    assert abs(table.convert(cm.total(inverse), "USD").amount - cm.total(converted).amount) <= bound


@st.composite
def two_year_tables(draw):
    """EUR/USD and USD/CNY (stored either way round) averaged over 2024 and over 2025."""
    rates = []
    for base, quote in (("EUR", "USD"), ("USD", "CNY")):
        for year in (2024, 2025):
            rate = draw(cms.rates)
            stored = (base, quote, rate) if draw(st.booleans()) else (quote, base, 1 / rate)
            rates.append(cm.ExchangeRate(*stored, cm.CalendarYear(year)))
    return cm.RateTable(rates)


within_2024_2025 = (
    st.tuples(st.integers(0, 23), st.integers(0, 23))
    .map(sorted)
    .map(
        lambda pair: cm.Period.from_months(cms.divmod_month(2024 * 12 + pair[0]), cms.divmod_month(2024 * 12 + pair[1]))
    )
)


@given(
    two_year_tables(),
    within_2024_2025,
    cms.amounts,
    st.sampled_from(["EUR", "USD", "CNY"]),
    st.sampled_from(["EUR", "USD", "CNY"]),
)
def test_every_route_rounds_once_to_within_half_a_unit_of_the_exact_value(table, period, amount, base, quote):
    conversion = table.conversion(base, quote, period, blend=True)
    converted = conversion.apply(cm.Money(amount, base, period)).amount
    exact = Fraction(amount) * conversion.factor
    assert abs(Fraction(converted) - exact) <= Fraction(ulp(converted)) / 2
    if conversion.method == "direct" or exact.denominator == 1:
        assert Fraction(converted) == exact


@given(two_year_tables(), within_2024_2025, st.sampled_from(["EUR", "USD", "CNY"]), st.sampled_from(["EUR", "CNY"]))
def test_an_inverse_of_an_inverse_is_the_conversion(table, period, base, quote):
    conversion = table.conversion(base, quote, period, blend=True)
    assert conversion.inverse().inverse() == conversion
    if conversion.method != "blend":
        assert conversion.inverse().factor * conversion.factor == 1
        assert conversion.inverse() == table.conversion(quote, base, period)


@given(cms.rates, cms.rates, cms.periods(), cms.amounts)
def test_a_cross_conversion_is_the_two_legs_rounded_once(eur_usd, usd_cny, period, amount):
    legs = [cm.ExchangeRate("EUR", "USD", eur_usd, period), cm.ExchangeRate("USD", "CNY", usd_cny, period)]
    table = cm.RateTable(legs)
    converted = table.convert(cm.Money(amount, "EUR", period), "CNY").amount
    exact = Fraction(amount) * Fraction(eur_usd) * Fraction(usd_cny)
    assert abs(Fraction(converted) - exact) <= Fraction(ulp(converted)) / 2


# Calendarization ------------------------------------------------------------------------


@given(cms.tilings(), st.data())
def test_calendarizing_by_months_conserves_the_total_over_a_tiled_span(tiles, data):
    # Amounts divisible by their month counts make every share exact, so conservation is exact.
    amounts = [cm.Money(data.draw(cms.amounts), "USD", tile) * tile.month_count for tile in tiles]
    span = cm.Period(tiles[0].start, tiles[-1].end)
    cuts = sorted(
        data.draw(st.sets(st.integers(min_value=1, max_value=span.month_count - 1), max_size=5))
        if span.month_count > 1
        else []
    )
    edges = [0, *cuts, span.month_count]
    first = span.start.year * 12 + span.start.month - 1
    targets = [
        cm.Period.from_months(cms.divmod_month(first + low), cms.divmod_month(first + high - 1))
        for low, high in itertools.pairwise(edges)
    ]
    restated = [cm.calendarize(amounts, target).value for target in targets]
    assert cm.combine_periods(restated) == cm.combine_periods(amounts)


@given(cms.tilings(), cms.amounts, st.data())
def test_a_constant_monthly_series_calendarizes_exactly(tiles, per_month, data):
    amounts = [cm.Money(per_month, "CNY", tile) * tile.month_count for tile in tiles]
    span = cm.Period(tiles[0].start, tiles[-1].end)
    first = span.start.year * 12 + span.start.month - 1
    low = data.draw(st.integers(min_value=0, max_value=span.month_count - 1))
    high = data.draw(st.integers(min_value=low, max_value=span.month_count - 1))
    target = cm.Period.from_months(cms.divmod_month(first + low), cms.divmod_month(first + high))
    assert cm.calendarize(amounts, target).value == cm.Money(per_month, "CNY", target) * target.month_count


@given(cms.tilings(), st.data())
def test_both_methods_agree_on_exact_tilings(tiles, data):
    amounts = [data.draw(cms.money(cm.Currency("USD"), tile)) for tile in tiles]
    target = cm.Period(tiles[0].start, tiles[-1].end)
    by_months = cm.calendarize(amounts, target)
    by_quarter_end = cm.calendarize(amounts, target, method="quarter-end")
    with decimal.localcontext(prec=200):
        exact_sum = sum(money.amount for money in amounts)
    assert by_months.value == by_quarter_end.value == cm.Money(exact_sum, "USD", target)


# Provenance -----------------------------------------------------------------------------


@given(cms.companies(), cms.periods(), st.data())
def test_status_and_sources_propagate(company, period, data):
    inputs = data.draw(st.lists(cms.facts(company, period), min_size=1, max_size=5))
    derived = cm.Fact.derive(inputs[0].value, inputs)
    uncertain = any(fact.status in {cm.Status.ESTIMATE, cm.Status.GUIDANCE} for fact in inputs)
    assert derived.status is (cm.Status.ESTIMATE if uncertain else cm.Status.DERIVED)
    assert set(derived.sources) == {source for fact in inputs for source in fact.sources}
    assert len(derived.sources) == len(set(derived.sources))


# Indicators ------------------------------------------------------------------------------

RATIOS = [
    cm.ratio,
    cm.share,
    cm.capex_intensity,
    cm.capex_to_operating_cash_flow,
    cm.capex_to_net_income,
    cm.capex_to_depreciation,
]


@given(cms.positive_amounts, cms.positive_amounts, cms.rates, cms.periods())
def test_intensity_does_not_depend_on_the_currency(capex, revenue, rate, period):
    in_cny = cm.Money(capex, "CNY", period), cm.Money(revenue, "CNY", period)
    intensity = cm.capex_intensity(*in_cny)
    # A conversion that multiplies (a stored CNY/USD rate) is exact: the same Decimal.
    multiplying = cm.RateTable([cm.ExchangeRate("CNY", "USD", rate, period)])
    assert cm.capex_intensity(*(multiplying.convert(amount, "USD") for amount in in_cny)) == intensity
    # One that divides (the article's USD/CNY rate) rounds each amount once: within two units in the last place.
    dividing = cm.RateTable([cm.ExchangeRate("USD", "CNY", rate, period)])
    converted = cm.capex_intensity(*(dividing.convert(amount, "USD") for amount in in_cny))
    relative_precision = Decimal(10) ** (1 - QUOTIENT_DIGITS)  # the worst rounding of a quotient, relative
    assert abs(converted - intensity) <= 3 * relative_precision * intensity


@given(cms.positive_amounts, cms.positive_amounts, cms.positive_factors, cms.periods(), st.sampled_from(RATIOS))
def test_every_ratio_is_invariant_when_both_inputs_scale_alike(a, b, k, period, indicator):
    first, second = cm.Money(a, "USD", period), cm.Money(b, "USD", period)
    assert indicator(first * k, second * k) == indicator(first, second)


@given(cms.positive_amounts, cms.positive_amounts, cms.positive_amounts, cms.years)
def test_growth_compounds(a, b, c, year):
    first, second, third = (cm.Money(x, "USD", cm.CalendarYear(year + i)) for i, x in enumerate((a, b, c)))
    g1, g2, g3 = cm.growth(second, first), cm.growth(third, second), cm.growth(third, first)
    compounded = (1 + g1) * (1 + g2)
    direct = 1 + g3

    def error(g):  # rounding the growth, then adding one
        return ulp(g) / 2 + ulp(1 + g) / 2

    bound = abs(1 + g2) * error(g1) + abs(1 + g1) * error(g2) + ulp(compounded) / 2 + error(g3)
    assert abs(compounded - direct) <= bound


@given(cms.positive_amounts, cms.amounts.filter(lambda amount: amount >= 0), cms.periods(max_months=12))
def test_cagr_over_one_year_is_growth(first, last, period):
    later = cm.Period.from_months(cms.divmod_month(period._first + 12), cms.divmod_month(period._last + 12))
    a, b = cm.Money(first, "USD", period), cm.Money(last, "USD", later)
    assert cm.cagr(a, b) == cm.growth(b, a)


@given(cms.positive_amounts, cms.positive_amounts, cms.years, st.integers(min_value=2, max_value=30))
def test_cagr_compounds_back_to_the_ratio(first, last, year, years):
    rate = cm.cagr(cm.Money(first, "USD", cm.CalendarYear(year)), cm.Money(last, "USD", cm.CalendarYear(year + years)))
    step = ulp(rate)  # at the precision cagr rounds to
    with decimal.localcontext(prec=60):
        compounded, ratio = (1 + rate) ** years, last / first
        # The rate carries half a unit of its last place; compounding scales that by the derivative.
        bound = years * (abs(1 + rate) + step) ** (years - 1) * step + ratio * Decimal("1e-26")
    assert abs(compounded - ratio) <= bound


@given(
    st.lists(cms.chip_purchases(), max_size=8),
    st.integers(min_value=0, max_value=8),
    st.sampled_from(["bf16", "fp8", "explicit"]),
)
def test_h100_equivalents_are_additive_over_purchases(purchases, cut, basis_name):
    basis = {"H20": Fraction(1, 3), "H200": 1, "H800": 1, "B200": 2} if basis_name == "explicit" else basis_name
    whole = cm.h100_equivalents(purchases, basis=basis).exact
    head, tail = purchases[:cut], purchases[cut:]
    assert whole == cm.h100_equivalents(head, basis=basis).exact + cm.h100_equivalents(tail, basis=basis).exact


@given(cms.chip_purchases(), st.integers(min_value=0, max_value=10**6), st.sampled_from(["bf16", "fp8"]))
def test_h100_equivalents_are_monotone_in_quantity(purchase, more, basis):
    bigger = cm.ChipPurchase(purchase.buyer, purchase.chip, purchase.quantity + more, purchase.period)
    assert cm.h100_equivalents([bigger], basis=basis).exact >= cm.h100_equivalents([purchase], basis=basis).exact


RISK_COMPANY = cm.Company(id="acme", name_en="Acme", name_zh="阿克米", region="US", currency="USD")


def risk_facts(values):
    return [cm.Fact(RISK_COMPANY, metric, cm.Money(amount, "USD", when)) for (metric, when), amount in values.items()]


@given(
    st.fixed_dictionaries(
        {
            ("capex", cm.CalendarYear(2024)): cms.positive_amounts,
            ("revenue", cm.CalendarYear(2024)): cms.positive_amounts,
            ("operating_cash_flow", cm.CalendarYear(2024)): cms.amounts,
            ("net_income", cm.CalendarYear(2024)): cms.amounts,
            ("depreciation_and_amortization", cm.CalendarYear(2024)): cms.amounts.map(abs),
            ("capex", cm.CalendarYear(2023)): cms.positive_amounts,
            ("revenue", cm.CalendarYear(2023)): cms.positive_amounts,
        }
    ),
    st.sampled_from(
        [
            ("capex", 2024, 1),
            ("operating_cash_flow", 2024, -1),
            ("net_income", 2024, -1),
            ("depreciation_and_amortization", 2024, -1),
            ("capex", 2023, -1),
        ]
    ),
    cms.positive_amounts,
)
def test_the_bubble_score_is_monotone_in_the_direction_of_risk(values, move, step):
    # Revenue has no single direction of risk (less revenue raises intensity but can lift the
    # free-cash-flow margin when free cash flow is negative), so it is left out on purpose.
    metric, year, sign = move
    key = (metric, cm.CalendarYear(year))
    riskier = dict(values)
    moved = values[key] + sign * step
    riskier[key] = moved if cm.Metric(metric).definition.may_be_negative else max(moved, Decimal(0))
    before = cm.bubble_risk(risk_facts(values), cm.CalendarYear(2024), company="acme").score
    after = cm.bubble_risk(risk_facts(riskier), cm.CalendarYear(2024), company="acme").score
    assert before is not None
    assert after is not None
    assert after >= before


# Formatting and parsing amounts (capexmodel._present.format)

from capexmodel._model.reading import parse_money  # noqa: E402 -- appended with the laws that use it
from capexmodel._present.format import format_money  # noqa: E402 -- appended with the laws that use it


@given(cms.reported_money(), st.sampled_from(["zh_CN", "en_US"]), st.integers(min_value=1, max_value=6))
def test_parsing_a_formatted_amount_gives_it_back_up_to_the_displayed_rounding(amount, locale, digits):
    text = format_money(amount, locale, digits=digits)
    parsed = parse_money(text, amount.period)
    assert (parsed.currency, parsed.period) == (amount.currency, amount.period)
    half_a_unit_of_the_last_digit = Decimal(5).scaleb(amount.amount.adjusted() - digits)
    assert abs(parsed.amount - amount.amount) <= half_a_unit_of_the_last_digit


@given(cms.reported_money(), st.sampled_from(["zh_CN", "en_US"]), st.integers(min_value=1, max_value=6))
def test_formatting_a_parsed_amount_gives_the_same_text(amount, locale, digits):
    text = format_money(amount, locale, digits=digits)
    assert format_money(parse_money(text, amount.period), locale, digits=digits) == text


@given(cms.money(), st.sampled_from(["zh_CN", "en_US"]))
def test_the_precise_style_parses_back_exactly(amount, locale):
    text = format_money(amount, locale, style="precise")
    assert parse_money(text, amount.period, locale=locale) == amount


@given(
    cms.reported_money(cms.CURRENCY_CODES),
    st.sampled_from(["zh_CN", "zh_TW", "en_US", "en_GB", "en_IN", "de_DE", "fr_FR", "es_ES", "sv_SE", "ja_JP", "sw"]),
    st.integers(min_value=1, max_value=6),
)
def test_in_a_given_locale_parsing_a_formatted_amount_gives_it_back_up_to_the_displayed_rounding(
    amount, locale, digits
):
    text = format_money(amount, locale, digits=digits)
    parsed = parse_money(text, amount.period, locale=locale)
    assert parsed.currency == amount.currency
    assert abs(parsed.amount - amount.amount) <= Decimal(5).scaleb(amount.amount.adjusted() - digits)
