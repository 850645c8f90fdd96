"""glmnet's logistic elastic-net path: optimality, glmnet's rules, resumable fitting, interpolation.

The agreement with R's glmnet itself is measured on EWP's data (``test_backtest.py``, ``test_estimators.py``:
EWP's FOOS file and published coefficients, both produced by glmnet); these tests check the solver on its own.
"""

import glum
import numpy as np
import pytest

from lemkin.core.risk.lognet import LognetError, LognetFit, lognet_path


def _data(seed: int = 0, n: int = 800, p: int = 10):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) * rng.uniform(0.5, 20, size=p) + rng.normal(size=p) * 5
    eta = -2.5 + (x[:, 0] - x[:, 0].mean()) / x[:, 0].std() - 0.7 * (x[:, 3] - x[:, 3].mean()) / x[:, 3].std()
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return x, y


def _standardised(x):
    mean, std = x.mean(axis=0), x.std(axis=0)
    return (x - mean) / std, std


def _objective(xs, y, intercept, beta, lam, alpha):
    """glmnet's objective on standardised predictors: mean deviance / 2 plus the elastic-net penalty."""
    eta = intercept + xs @ beta
    loglik = np.mean(y * eta - np.logaddexp(0, eta))
    return -loglik + lam * (alpha * np.abs(beta).sum() + (1 - alpha) / 2 * (beta**2).sum())


def test_path_meets_the_kkt_conditions():
    """At every lambda, every coefficient is optimal: zero ones have |gradient| <= alpha lambda, nonzero ones
    a gradient of the penalty's sign, to within glmnet's convergence threshold (``thresh = 1e-7`` bounds the
    weighted squared change of a coefficient, which leaves gradients accurate to about 1e-4)."""
    x, y = _data()
    path = lognet_path(x, y, alpha=0.5)
    xs, std = _standardised(x)
    assert 5 <= len(path.lambdas) <= 100
    for k, lam in enumerate(path.lambdas):
        beta = path.coefs[k] * std  # back to the standardised scale
        prob = 1 / (1 + np.exp(-(path.intercepts[k] + x @ path.coefs[k])))
        grad = xs.T @ (y - prob) / len(y) - lam * 0.5 * beta  # minus the ridge part
        assert abs(np.mean(y - prob)) < 1e-5  # the intercept is unpenalised
        zero = beta == 0
        assert np.all(np.abs(grad[zero]) <= 0.5 * lam + 1e-4)
        np.testing.assert_allclose(grad[~zero], 0.5 * lam * np.sign(beta[~zero]), atol=1e-4)


def test_optimum_agrees_with_an_independent_solver():
    """At a lambda in the middle of the path, glum (a different algorithm) finds no better objective value."""
    x, y = _data(seed=3)
    path = lognet_path(x, y, alpha=0.5)
    xs, std = _standardised(x)
    k = len(path.lambdas) // 2
    lam = path.lambdas[k]
    ours = _objective(xs, y, path.intercepts[k] + path.coefs[k] @ x.mean(axis=0), path.coefs[k] * std, lam, 0.5)
    other = glum.GeneralizedLinearRegressor(family="binomial", alpha=lam, l1_ratio=0.5, gradient_tol=1e-10,
                                            max_iter=1000).fit(xs, y)  # fmt: skip
    theirs = _objective(xs, y, other.intercept_, other.coef_, lam, 0.5)
    assert ours <= theirs + 1e-8
    np.testing.assert_allclose(path.coefs[k] * std, other.coef_, atol=1e-3)


def test_lambda_sequence_follows_glmnet():
    """The first lambda is the smallest that keeps every coefficient at zero; the rest fall geometrically to
    1e-4 of it; the path stops early once the explained deviance stops growing."""
    x, y = _data(seed=1)
    path = lognet_path(x, y, alpha=0.5, n_lambdas=100, lambda_min_ratio=1e-4)
    xs, _ = _standardised(x)
    lam_max = np.abs(xs.T @ (y - y.mean())).max() / len(y) / 0.5
    np.testing.assert_allclose(path.lambdas[0], lam_max, rtol=1e-12)
    ratios = path.lambdas[1:] / path.lambdas[:-1]
    np.testing.assert_allclose(ratios, (1e-4) ** (1 / 99), rtol=1e-12)
    assert np.all(path.coefs[0] == 0)
    assert np.any(path.coefs[1] != 0)
    assert len(path.lambdas) < 100  # stopped by glmnet's deviance rule
    assert path.dev_ratio[-1] - path.dev_ratio[-2] < 1e-5
    assert np.all(np.diff(path.dev_ratio) >= -1e-12)


def test_given_lambdas_are_all_fitted_and_match_the_computed_path():
    """With a user-supplied sequence every lambda is fitted (no early stop), and the fits equal the path's."""
    x, y = _data(seed=2)
    path = lognet_path(x, y)
    longer = np.concatenate([path.lambdas, path.lambdas[-1] * 0.9 ** np.arange(1, 6)])
    given = lognet_path(x, y, lambdas=longer)
    assert len(given.lambdas) == len(longer)
    np.testing.assert_allclose(given.coefs[: len(path.lambdas)], path.coefs, atol=1e-6)


def test_fitting_in_chunks_equals_fitting_at_once():
    """Advancing a few lambdas at a time (warm starts carried over) gives exactly the one-shot path."""
    x, y = _data(seed=4)
    whole = lognet_path(x, y)
    fit = LognetFit(x, y)
    for upto in range(3, 101, 7):
        fit.advance(upto)
    chunked = fit.path()
    np.testing.assert_array_equal(chunked.lambdas, whole.lambdas)
    np.testing.assert_array_equal(chunked.coefs, whole.coefs)
    assert chunked.passes == whole.passes


def test_interpolation_between_fitted_lambdas():
    """``at`` returns the fit itself at a fitted lambda, the straight line in between, and the end fits
    beyond either end (as R's predict.glmnet)."""
    x, y = _data(seed=5)
    fit = LognetFit(x, y)
    fit.advance(100)
    lam = fit.lambdas
    icpt, coefs = fit.segment(0, fit.done)
    mid = 0.3 * lam[4] + 0.7 * lam[5]
    at_icpt, at_coefs = fit.at(np.array([lam[0] * 2, lam[4], mid, lam[-1] / 2]))
    np.testing.assert_allclose(at_coefs[0], coefs[0])
    np.testing.assert_allclose(at_coefs[1], coefs[4])
    np.testing.assert_allclose(at_coefs[2], 0.3 * coefs[4] + 0.7 * coefs[5], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(at_icpt[2], 0.3 * icpt[4] + 0.7 * icpt[5], rtol=1e-12)
    np.testing.assert_allclose(at_coefs[3], coefs[-1])


def test_reach_fits_only_as_far_as_needed():
    """``reach`` advances until a lambda at or below the asked penalty has been fitted, and no further."""
    x, y = _data(seed=6)
    whole = lognet_path(x, y)
    fit = LognetFit(x, y)
    target = whole.lambdas[20] * 1.01
    fit.reach(target)
    assert fit.lambdas[-1] <= target < fit.lambdas[-2]


def test_constant_columns_are_left_out():
    """A predictor with one value gets coefficient 0 and does not disturb the others (glmnet's exclusion)."""
    x, y = _data(seed=7, p=4)
    with_constant = np.column_stack([x, np.full(len(y), 3.0)])
    a, b = lognet_path(x, y), lognet_path(with_constant, y)
    assert np.all(b.coefs[:, -1] == 0)
    np.testing.assert_allclose(b.coefs[:, :-1], a.coefs, atol=1e-12)


def test_single_class_outcome_is_refused():
    """An outcome with no onsets has no path: a clear error, not a silent constant model."""
    x, _ = _data()
    with pytest.raises(LognetError, match="single class"):
        lognet_path(x, np.zeros(len(x)))
