"""The algebraic laws of the model, checked by Hypothesis."""

import datetime as dt
import decimal
import functools
import itertools
import operator

from hypothesis import given
from hypothesis import strategies as st

import capexmodel as cm
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
        (year, q) for year in (date.year - 1, date.year, date.year + 1) for q in (1, 2, 3, 4)
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
