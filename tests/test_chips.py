from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest

import capexmodel as cm

Y24 = cm.CalendarYear(2024)
OMDIA = cm.Source("Omdia", "Hopper shipments 2024")

# The article's figure 2 (Omdia): Hopper purchases in 2024, in chips.
HOPPER_2024 = [
    cm.ChipPurchase("microsoft", "H100", 485_000, Y24, OMDIA),
    cm.ChipPurchase("bytedance", "H20", 230_000, Y24, OMDIA),
    cm.ChipPurchase("tencent", "H20", 230_000, Y24, OMDIA),
    cm.ChipPurchase("meta", "H100", 224_000, Y24, OMDIA),
]


class TestCatalogue:
    @pytest.mark.parametrize(
        ("name", "bf16", "fp8", "family"),
        [
            ("H100", 989, 1979, "Hopper"),
            ("H200", 989, 1979, "Hopper"),
            ("H800", 989, 1979, "Hopper"),
            ("H20", 148, 296, "Hopper"),
            ("A100", 312, None, "Ampere"),
            ("B200", 2250, 4500, "Blackwell"),
        ],
    )
    def test_datasheet_peaks(self, name, bf16, fp8, family):
        model = cm.chip(name.lower())
        assert model.name == name
        assert model.family == family
        assert model.bf16_tflops == bf16
        assert model.fp8_tflops == (None if fp8 is None else Decimal(fp8))

    @pytest.mark.parametrize(
        ("name", "memory_gb", "bandwidth", "watts"),
        [
            ("H100", 80, "3.35", 700),
            ("H200", 141, "4.8", 700),
            ("H800", 80, "3.35", 700),
            ("H20", 96, "4.0", 400),
            ("A100", 80, "2.039", 400),
            ("B200", 180, "8", 1000),
        ],
    )
    def test_datasheet_memory_bandwidth_and_power(self, name, memory_gb, bandwidth, watts):
        model = cm.chip(name)
        assert model.memory_gb == memory_gb
        assert model.bandwidth_tb_per_s == Decimal(bandwidth)
        assert model.power_watts == watts
        assert model.source is not None
        assert model.source.publisher == "NVIDIA"
        assert model.source.title.startswith((name, "DGX B200"))
        assert model.source.note is not None

    def test_memory_bandwidth_and_power_are_pint_quantities(self):
        h20 = cm.chip("H20")
        assert h20.memory_size().to("byte").magnitude == Decimal(96 * 10**9)
        assert h20.bandwidth().to("GB/s").magnitude == Decimal(4000)
        assert cm.chip("A100").bandwidth().to("byte/s").magnitude == Decimal(2_039 * 10**9)
        assert str(h20.bandwidth().units) == "terabyte / second"
        assert h20.power().to("kW").magnitude == Decimal("0.4")
        assert (h20.power() * cm.chip("H20").power()).check("[power] ** 2")  # one registry
        assert isinstance(h20.bandwidth().magnitude, Decimal)

    def test_unknown_figures_are_undefined(self):
        bare = cm.ChipModel("X1", "Acme", "Test", 1, None)
        assert (bare.memory_gb, bare.bandwidth_tb_per_s, bare.power_watts, bare.source) == (None, None, None, None)
        with pytest.raises(cm.UndefinedIndicatorError, match="the X1 has no memory size: its memory_gb is None"):
            bare.memory_size()
        with pytest.raises(cm.UndefinedIndicatorError, match="no memory bandwidth: its bandwidth_tb_per_s is None"):
            bare.bandwidth()
        with pytest.raises(cm.UndefinedIndicatorError, match="no board power: its power_watts is None"):
            bare.power()

    def test_the_source_is_not_part_of_a_models_identity(self):
        h20 = cm.chip("H20")
        fields = attrs.asdict(h20, recurse=False) | {"source": cm.Source("Me", "my notes")}
        assert cm.ChipModel(**fields) == h20
        assert hash(cm.ChipModel(**fields)) == hash(h20)
        assert cm.ChipModel(**(fields | {"bandwidth_tb_per_s": "4.1"})) != h20

    def test_throughput_is_a_pint_quantity(self):
        quantity = cm.chip("H100").throughput("fp8")
        assert quantity.to("FLOP/s").magnitude == Decimal("1.979E+15")
        assert str(quantity.units) == "teraFLOP / second"

    def test_missing_precisions_are_undefined(self):
        with pytest.raises(cm.UndefinedIndicatorError, match="the A100 has no FP8 peak"):
            cm.chip("A100").tflops("fp8")
        with pytest.raises(cm.InvalidValueError, match="precision must be 'bf16' or 'fp8', got 'fp4'"):
            cm.chip("B200").tflops("fp4")  # type: ignore[arg-type]

    @pytest.mark.parametrize("name", ["H30", "", 100, None])
    def test_unknown_names_list_the_known_ones(self, name):
        with pytest.raises(cm.UnknownChipError, match="catalogue knows A100, B200, H100, H20, H200, H800") as caught:
            cm.chip(name)
        assert isinstance(caught.value, LookupError)

    def test_models_are_validated(self):
        with pytest.raises(cm.InvalidAmountError, match="a peak throughput must be .* not the float 1.5"):
            cm.ChipModel("X1", "Acme", "Test", 1.5, None)  # type: ignore[arg-type]
        with pytest.raises(cm.InvalidValueError, match="a peak throughput is positive, got 0"):
            cm.ChipModel("X1", "Acme", "Test", 0, None)
        with pytest.raises(cm.InvalidValueError, match="name must be a non-empty string"):
            cm.ChipModel("", "Acme", "Test", 1, None)

    @pytest.mark.parametrize(
        ("field", "what"),
        [
            ("memory_gb", "a memory size"),
            ("bandwidth_tb_per_s", "a memory bandwidth"),
            ("power_watts", "a board power"),
        ],
    )
    def test_figures_are_exact_and_positive(self, field, what):
        bare = cm.ChipModel("X1", "Acme", "Test", 1, None)

        def with_figure(value: object) -> cm.ChipModel:
            changes: Any = {field: value}
            return attrs.evolve(bare, **changes)

        assert getattr(with_figure("2.039"), field) == Decimal("2.039")
        with pytest.raises(cm.InvalidAmountError, match=f"{what} must be .* not the float 3.35"):
            with_figure(3.35)
        with pytest.raises(cm.InvalidValueError, match=f"{what} is positive, got -1"):
            with_figure(-1)
        with pytest.raises(cm.InvalidValueError, match=f"{what} is positive, got 0"):
            with_figure(0)

    def test_a_source_is_a_source(self):
        with pytest.raises(cm.InvalidValueError, match="source must be a capexmodel.Source or None, got 'NVIDIA'"):
            cm.ChipModel("X1", "Acme", "Test", 1, None, source="NVIDIA")  # type: ignore[arg-type]


class TestPurchases:
    def test_buyer_by_company_or_id(self):
        meta = cm.Company(id="meta", name_en="Meta", name_zh="Meta", region="US", currency="USD")
        assert cm.ChipPurchase(meta, "H100", 1, Y24).buyer_id == "meta"
        assert cm.ChipPurchase("meta", cm.chip("H100"), 1, Y24).buyer_id == "meta"

    @pytest.mark.parametrize(
        ("fields", "error", "message"),
        [
            ({"buyer": "Meta"}, cm.InvalidValueError, "buyer must be a Company or a company id .* got 'Meta'"),
            ({"chip": "H30"}, cm.UnknownChipError, "unknown chip 'H30'"),
            ({"quantity": -1}, cm.InvalidValueError, "a quantity is a whole number of chips, zero or more, got -1"),
            ({"quantity": 1.5}, cm.InvalidValueError, "got 1.5"),
            ({"quantity": True}, cm.InvalidValueError, "got True"),
            ({"period": "2024"}, cm.InvalidValueError, "period must be a capexmodel.Period, got '2024'"),
            ({"source": "Omdia"}, cm.InvalidValueError, "source must be a capexmodel.Source or None"),
        ],
    )
    def test_fields_are_validated(self, fields, error, message):
        arguments = {"buyer": "meta", "chip": "H100", "quantity": 1, "period": Y24} | fields
        with pytest.raises(error, match=message):
            cm.ChipPurchase(**arguments)


class TestH100Equivalents:
    def test_the_articles_h20_statement_on_its_own_basis(self):
        bytedance = [HOPPER_2024[1]]
        result = cm.h100_equivalents(bytedance, basis={"H20": Fraction(1, 3)})
        assert result.exact == Fraction(230_000, 3)
        assert result.basis == "explicit"
        assert result.factors == {"H20": Fraction(1, 3)}
        assert round(result.value, 2) == Decimal("76666.67")

    def test_the_same_on_datasheet_peaks(self):
        result = cm.h100_equivalents([HOPPER_2024[1]], basis="bf16")
        assert result.basis == "bf16"
        assert result.factors == {"H20": Fraction(148, 989)}
        assert result.exact == 230_000 * Fraction(148, 989)
        assert cm.h100_equivalents([HOPPER_2024[1]], basis="fp8").exact == 230_000 * Fraction(296, 1979)

    def test_on_memory_bandwidth(self):
        result = cm.h100_equivalents([HOPPER_2024[1]], basis="bandwidth")
        assert result.basis == "bandwidth"
        assert result.factors == {"H20": Fraction(80, 67)}  # 4.0 TB/s over 3.35 TB/s, exactly
        assert result.exact == 230_000 * Fraction(80, 67)
        assert round(result.factors["H20"], 2) == Fraction(119, 100)
        assert result.value == Decimal(230_000 * 80) / 67
        mixed = cm.h100_equivalents(HOPPER_2024, basis="bandwidth")
        assert mixed.by_buyer["microsoft"] == 485_000
        assert mixed.factors == {"H100": 1, "H20": Fraction(80, 67)}
        assert cm.h100_equivalents(
            [cm.ChipPurchase("openai", "A100", 335, Y24)], basis="bandwidth"
        ).value == 2_039 / Decimal(10)
        assert cm.h100_equivalents([cm.ChipPurchase("openai", "B200", 67, Y24)], basis="bandwidth").exact == 160

    def test_a_chip_without_a_bandwidth_is_undefined_on_that_basis(self):
        bare = cm.ChipModel("X1", "Acme", "Test", 1, None)
        with pytest.raises(cm.UndefinedIndicatorError, match="the X1 has no memory bandwidth"):
            cm.h100_equivalents([cm.ChipPurchase("acme", bare, 1, Y24)], basis="bandwidth")

    def test_by_buyer_and_totals(self):
        result = cm.h100_equivalents(HOPPER_2024, basis={"H20": "0.5"})
        assert result.by_buyer == {"microsoft": 485_000, "bytedance": 115_000, "tencent": 115_000, "meta": 224_000}
        assert result.value == Decimal(939_000)

    def test_an_explicit_basis_needs_every_chip(self):
        with pytest.raises(cm.UndefinedIndicatorError, match="no factor for the H200: add it, such as {'H200': 1}"):
            cm.h100_equivalents([cm.ChipPurchase("xai", "H200", 1, Y24)], basis={"H20": Fraction(1, 3)})
        assert cm.h100_equivalents([cm.ChipPurchase("xai", "H100", 2, Y24)], basis={}).value == 2

    def test_a_precision_a_chip_lacks_is_undefined(self):
        with pytest.raises(cm.UndefinedIndicatorError, match="the A100 has no FP8 peak"):
            cm.h100_equivalents([cm.ChipPurchase("openai", "A100", 1, Y24)], basis="fp8")

    @pytest.mark.parametrize(
        ("basis", "message"),
        [
            ("fp16", "basis must be 'bf16', 'fp8', 'bandwidth' or a mapping"),
            ("Bandwidth", "basis must be .* got 'Bandwidth'"),
            (3, "basis must be"),
            ({"H20": 0.33}, "the factor for H20 must be .* not the float 0.33"),
            ({"H20": -1}, "the factor for H20 must not be negative, got -1"),
            ({1: 1}, "maps chip names to factors, got the key 1"),
        ],
    )
    def test_bad_bases(self, basis, message):
        with pytest.raises(cm.InvalidValueError, match=message):
            cm.h100_equivalents(HOPPER_2024, basis=basis)

    def test_purchases_must_be_purchases(self):
        with pytest.raises(cm.InvalidValueError, match=r"h100_equivalents\(\) takes ChipPurchase values, got 'H100'"):
            cm.h100_equivalents(["H100"])  # type: ignore[list-item]
        with pytest.raises(cm.InvalidValueError, match="takes an iterable of ChipPurchase, got None"):
            cm.h100_equivalents(None)  # type: ignore[arg-type]

    def test_two_models_with_one_name_are_refused(self):
        pcie = cm.ChipModel("H100", "NVIDIA", "Hopper", 756, 1513, "80 GB HBM2e (PCIe)")
        purchases = [cm.ChipPurchase("meta", "H100", 1, Y24), cm.ChipPurchase("meta", pcie, 1, Y24)]
        with pytest.raises(cm.InvalidValueError, match="two different chip models are called H100"):
            cm.h100_equivalents(purchases)

    def test_results_are_read_only(self):
        result = cm.h100_equivalents(HOPPER_2024)
        with pytest.raises(TypeError):
            result.factors["H20"] = Fraction(1)  # type: ignore[index]
        assert hash(result) == hash(cm.h100_equivalents(HOPPER_2024))
        assert result == cm.h100_equivalents(HOPPER_2024)

    def test_no_purchases_count_zero(self):
        assert cm.h100_equivalents([]).value == 0
