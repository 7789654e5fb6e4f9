"""Hypothesis profiles: for local runs, thorough for CI, quick for the other Pythons, fixed for mutation testing."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=60, deadline=None)
# CI draws 250 examples per property (and 60 panels for the table functions, which are
# slower per example): a thorough search that keeps the whole CI run under 20 minutes.
settings.register_profile(
    "ci",
    max_examples=250,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# Fewer examples, for the passes on the other supported Pythons (`.ci/run`): every test
# runs there too, and the thorough search happens once, on the main Python.
settings.register_profile("quick", max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# The same examples on every run and no example database, so that a mutant's verdict does not
# depend on what an earlier run happened to find, nor on how busy the machine is (`.ci/mutation`
# selects it). mutmut runs the tests several times in one process, each time with a new instance
# of a test class: Hypothesis would call that differing executors.
settings.register_profile(
    "mutation",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
