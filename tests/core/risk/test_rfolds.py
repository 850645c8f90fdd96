"""R-compatible cross-validation folds: EWP's lambda choice depends on them."""

import numpy as np

from lemkin.core.risk.rfolds import r_fold_ids


def test_folds_match_r_output():
    """``set.seed(90035); sample(rep(seq(10), length = 25))`` in R 4.2 prints exactly these labels."""
    expected = [8, 3, 7, 9, 4, 3, 1, 4, 4, 10, 7, 5, 5, 9, 2, 8, 6, 6, 1, 2, 5, 3, 1, 10, 2]
    assert r_fold_ids(25, 10, 90035).tolist() == expected


def test_folds_match_r_on_panel_sized_input():
    """The first 20 labels R draws for the 8,970 training rows of EWP's 2025 model."""
    expected = [6, 5, 5, 10, 6, 2, 4, 2, 7, 7, 9, 3, 8, 5, 7, 3, 1, 1, 10, 1]
    assert r_fold_ids(8970, 10, 90035)[:20].tolist() == expected


def test_folds_are_balanced():
    """Each fold gets floor or ceil of n / k rows."""
    counts = np.bincount(r_fold_ids(103, 10, 1))[1:]
    assert sorted(set(counts.tolist())) == [10, 11]
