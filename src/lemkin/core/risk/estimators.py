"""Risk estimators with the scikit-learn contract.

* :class:`ElasticNetLogit` reproduces the Early Warning Project's model: logistic regression with an elastic-net
  penalty (mixing 0.5), predictors standardised inside the solver, the penalty chosen by 10-fold cross-validation
  at the minimum deviance ("lambda.min"), folds drawn as R's ``set.seed(90035); cv.glmnet(...)`` draws them.
  Source: ``EarlyWarningProject/2025-Statistical-Risk-Assessment`` commit 548cad77, ``3.Modeling/model_3Sep2025.R``
  (function ``elogit.fit``); glmnet defaults (100 lambdas down to 1e-4 of the largest, path stopped when the
  explained deviance changes by less than 1e-5) from glmnet 4.x ``glmnet.control``. The solver is glum's
  coordinate-descent IRLS path (the same objective as glmnet: mean deviance / 2 plus the penalty).
* :class:`MonotoneBoostingRisk` is gradient boosting (LightGBM) with monotone constraints where theory gives the
  direction of an effect (see :data:`THEORY_SIGNS`).
* :class:`BlendedRisk` averages the probabilities of several risk estimators (a simple, robust ensemble).
"""

from __future__ import annotations

import abc
import warnings
from collections.abc import Sequence
from typing import Any, Self

import glum
import lightgbm
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

__all__ = [
    "THEORY_SIGNS",
    "BlendedRisk",
    "ElasticNetLogit",
    "MonotoneBoostingRisk",
    "binomial_deviance",
]

from lemkin.core.risk.rfolds import r_fold_ids

#: glmnet's probability clipping in cross-validated deviance (``glmnet.control()$pmin``).
_PROB_CLIP = 1e-5
#: glmnet's path stopping rules (``glmnet.control()``: ``fdev``, ``devmax``, ``mnlam``).
_FDEV, _DEVMAX, _MNLAM = 1e-5, 0.999, 5

#: Direction of effect that the literature on mass-killing onset gives for some EWP predictors
#: (+1 raises risk, -1 lowers it): armed conflict and its intensity, ongoing and past mass killing, coup
#: attempts, approval of political killing, minority rule and discrimination, infant mortality (poverty),
#: population size; free discussion and even civil rights lower it. Used as LightGBM monotone constraints;
#: predictors without a theoretical sign are left free.
THEORY_SIGNS: dict[str, int] = {
    "battledeaths.log2": 1,
    "mk_ongoing_count_log2": 1,
    "mk_ever": 1,
    "coup.try.5yr": 1,
    "pol_killing_approved": 1,
    "minorityrule": 1,
    "discrimpop": 1,
    "un_imr_sqrt": 1,
    "popsize.log2": 1,
    "widetargeting": 1,
    "narrowtargeting": 1,
    "freediscussion": -1,
    "even_civilrights": -1,
}


def binomial_deviance(y: np.ndarray, prob: np.ndarray, sample_weight: np.ndarray | None = None) -> np.ndarray:
    """Mean binomial deviance per column of ``prob`` (n × k), probabilities clipped as glmnet clips them."""
    p = np.clip(prob, _PROB_CLIP, 1 - _PROB_CLIP)
    y2 = y.reshape(-1, *([1] * (p.ndim - 1)))
    dev = -2.0 * (y2 * np.log(p) + (1 - y2) * np.log1p(-p))
    return np.average(dev, axis=0, weights=sample_weight)


def _sigmoid(eta: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * eta))


def _standardise(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted mean and population standard deviation, as glmnet's ``standardize = TRUE`` computes them."""
    wn = w / w.sum()
    mean = wn @ x
    std = np.sqrt(wn @ (x - mean) ** 2)
    return mean, std, std > 1e-12 * np.maximum(1.0, np.abs(mean))


def _lambda_sequence(x: np.ndarray, y: np.ndarray, w: np.ndarray, l1_ratio: float, n: int, ratio: float):
    """glmnet's lambda sequence: from the smallest penalty that zeroes every coefficient down to ``ratio``."""
    mean, std, keep = _standardise(x, w)
    wn = w / w.sum()
    xs = (x[:, keep] - mean[keep]) / std[keep]
    ybar = wn @ y
    grad = np.abs(xs.T @ (wn * (y - ybar)))
    lam_max = (grad.max() if grad.size else 1.0) / max(l1_ratio, 1e-3)
    return lam_max * ratio ** (np.arange(n) / (n - 1))


class _PathFitter:
    """One elastic-net logistic path (one data set), advanced a chunk of lambdas at a time with warm starts.

    Predictors are standardised on this data set (weighted mean, population standard deviation), as glmnet does
    for the full fit and for every cross-validation fit; coefficients come back on the raw predictor scale, with
    0 for constant columns. The path stops by glmnet's rule (explained deviance no longer moving); later lambdas
    repeat the last fit, as ``cv.glmnet`` fills them in.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, w: np.ndarray, l1_ratio: float, tol: float | None) -> None:
        self.mean, self.std, self.keep = _standardise(x, w)
        self.xs = (x[:, self.keep] - self.mean[self.keep]) / self.std[self.keep]
        self.y, self.w = y, w
        self.l1_ratio, self.tol = l1_ratio, tol
        ybar = float(w @ y / w.sum())
        self.degenerate = not self.keep.any() or not 0.0 < ybar < 1.0
        self.null_deviance = float(binomial_deviance(y, np.full((len(y), 1), ybar), w)[0])
        self.start: np.ndarray | None = None
        self.last: tuple[float, np.ndarray] = (
            float(np.log(max(ybar, 1e-12) / max(1 - ybar, 1e-12))),
            np.zeros(x.shape[1]),
        )
        self.last_dev_ratio = 0.0
        self.n_done = 0
        self.stopped_at: int | None = None

    def advance(self, lambdas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Raw-scale intercepts (k,) and coefficients (k, p) for the next ``k`` lambdas of the path."""
        k = len(lambdas)
        if self.degenerate or self.stopped_at is not None or k == 0:
            self.n_done += k
            return np.full(k, self.last[0]), np.tile(self.last[1], (k, 1))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # glum warns about convergence at the tiny-penalty end of the path
            model = glum.GeneralizedLinearRegressor(
                family="binomial",
                l1_ratio=self.l1_ratio,
                alpha_search=True,
                alphas=lambdas,
                fit_intercept=True,
                gradient_tol=self.tol,
                max_iter=100,
                start_params=self.start,
            ).fit(self.xs, self.y, sample_weight=self.w)
        beta_std = np.asarray(model.coef_path_).reshape(k, -1)
        icpt_std = np.asarray(model.intercept_path_, dtype=float).reshape(k)
        self.start = np.concatenate([[icpt_std[-1]], beta_std[-1]])
        eta = icpt_std[:, None] + beta_std @ self.xs.T
        dev_ratio = 1.0 - binomial_deviance(self.y, _sigmoid(eta.T), self.w) / self.null_deviance
        coefs = np.zeros((k, len(self.keep)))
        coefs[:, self.keep] = beta_std / self.std[self.keep]
        intercepts = icpt_std - beta_std @ (self.mean[self.keep] / self.std[self.keep])
        for i in range(k):
            m = self.n_done + i  # position on the whole path
            previous = self.last_dev_ratio if i == 0 else dev_ratio[i - 1]
            if m >= _MNLAM - 1 and (dev_ratio[i] - previous < _FDEV * dev_ratio[i] or dev_ratio[i] > _DEVMAX):
                self.stopped_at = m
                coefs[i + 1 :] = coefs[i]
                intercepts[i + 1 :] = intercepts[i]
                break
        self.last_dev_ratio = float(dev_ratio[-1])
        self.last = (float(intercepts[-1]), coefs[-1].copy())
        self.n_done += k
        return intercepts, coefs


class _RiskClassifier(ClassifierMixin, BaseEstimator, abc.ABC):
    """Shared binary-classifier plumbing: label handling and probability output."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    def _validate_target(self, y: Any) -> np.ndarray:
        check_classification_targets(y)
        if type_of_target(y, input_name="y") == "multiclass":
            raise ValueError(f"Only binary classification is supported: {type(self).__name__} forecasts onset or not")
        classes, y_encoded = np.unique(y, return_inverse=True)
        if len(classes) != 2:
            raise ValueError(f"{type(self).__name__} forecasts a binary outcome; y has only {len(classes)} class")
        self.classes_ = classes
        return y_encoded.astype(float)

    @abc.abstractmethod
    def _positive_probability(self, X: Any) -> np.ndarray:
        """Probability of onset (the second class) per row."""

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of the two classes (column 1: onset)."""
        check_is_fitted(self)
        p = self._positive_probability(X)
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        """The more probable class (onsets are rare, so rank or threshold the probabilities instead)."""
        check_is_fitted(self)
        return self.classes_[(self._positive_probability(X) > 0.5).astype(int)]


class ElasticNetLogit(_RiskClassifier):
    """The Early Warning Project's elastic-net logistic regression (glmnet ``cv.glmnet`` + ``lambda.min``).

    Parameters
    ----------
    l1_ratio:
        Elastic-net mixing (glmnet's ``alpha``); EWP uses 0.5.
    n_lambdas, lambda_min_ratio:
        glmnet's ``nlambda`` and ``lambda.min.ratio`` (100 and 1e-4 when observations outnumber predictors).
    n_folds:
        Cross-validation folds (10).
    random_state:
        With an ``int``, the folds are the ones R draws after ``set.seed(random_state)`` (EWP: 90035); with
        ``None`` or a ``numpy.random.RandomState``, a numpy permutation of the same balanced fold labels.
    tol:
        Gradient tolerance of the glum solver (glum's default 1e-4 reproduces EWP's published forecasts to 1e-4).
    cv_patience:
        ``None`` (default) cross-validates the whole lambda path, as ``cv.glmnet`` does. An integer walks the
        path in steps of that many lambdas, all folds side by side, and stops once the cross-validated deviance
        has not improved for that many lambdas: the same choice whenever the deviance curve has a single
        minimum (the usual case), for about half the work.
    n_jobs:
        OpenMP threads of the solver (default 1: the problems are small and thread start-up costs more than it
        saves, especially when backtest origins already run side by side). ``None`` leaves the default.

    Attributes
    ----------
    coef_, intercept_:
        Coefficients on the raw predictor scale at the chosen lambda (as glmnet's ``coef(..., s="lambda.min")``).
    lambdas_, lambda_, lambda_index_:
        The penalty sequence, the chosen penalty and its position.
    cv_deviance_:
        Mean out-of-fold binomial deviance for every lambda.
    scale_mean_, scale_std_:
        Training means and population standard deviations, used to explain forecasts on the standardised scale.
    """

    def __init__(
        self,
        l1_ratio: float = 0.5,
        n_lambdas: int = 100,
        lambda_min_ratio: float = 1e-4,
        n_folds: int = 10,
        random_state: Any = 90035,
        tol: float | None = 1e-4,
        cv_patience: int | None = None,
        n_jobs: int | None = 1,
    ) -> None:
        self.l1_ratio = l1_ratio
        self.n_lambdas = n_lambdas
        self.lambda_min_ratio = lambda_min_ratio
        self.n_folds = n_folds
        self.random_state = random_state
        self.tol = tol
        self.cv_patience = cv_patience
        self.n_jobs = n_jobs

    def _fold_ids(self, n: int) -> np.ndarray:
        n_folds = min(self.n_folds, n)
        if isinstance(self.random_state, int | np.integer) and not isinstance(self.random_state, bool):
            return r_fold_ids(n, n_folds, int(self.random_state))
        rng = self.random_state if isinstance(self.random_state, np.random.RandomState) else None
        rng = rng or np.random.RandomState()
        return rng.permutation(np.resize(np.arange(1, n_folds + 1), n))

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Self:
        """Fit the penalty path, choose lambda by cross-validated deviance, keep the coefficients there."""
        with threadpool_limits(self.n_jobs):
            return self._fit(X, y, sample_weight)

    def _fit(self, X: Any, y: Any, sample_weight: Any) -> Self:
        X, y = validate_data(self, X, y, dtype=np.float64, ensure_min_samples=2)
        yb = self._validate_target(y)
        w = _check_sample_weight(sample_weight, X, dtype=np.float64)
        if not 0.0 <= self.l1_ratio <= 1.0:
            raise ValueError(f"l1_ratio must be in [0, 1], got {self.l1_ratio}")
        lambdas = _lambda_sequence(X, yb, w, self.l1_ratio, self.n_lambdas, self.lambda_min_ratio)
        folds = self._fold_ids(len(yb))
        full = _PathFitter(X, yb, w, self.l1_ratio, self.tol)
        fold_fits = []
        for fold in np.unique(folds):
            test = folds == fold
            if len(np.unique(yb[~test])) == 2:
                fold_fits.append((test, _PathFitter(X[~test], yb[~test], w[~test], self.l1_ratio, self.tol)))
        n_grid = len(lambdas)
        intercepts, coefs = np.zeros(n_grid), np.zeros((n_grid, X.shape[1]))
        dev_sum = np.zeros(n_grid)
        chunk = n_grid if self.cv_patience is None else max(1, int(self.cv_patience))
        done = 0
        while done < n_grid:
            upto = min(done + chunk, n_grid)
            intercepts[done:upto], coefs[done:upto] = full.advance(lambdas[done:upto])
            if full.stopped_at is not None:  # cv.glmnet cross-validates the lambdas of the full fit's path only
                n_grid = upto = min(upto, full.stopped_at + 1)
            for test, fitter in fold_fits:
                f_icpt, f_coef = fitter.advance(lambdas[done:upto])
                prob = _sigmoid(f_icpt + X[test] @ f_coef.T)
                dev_sum[done:upto] += binomial_deviance(yb[test], prob, w[test]) * w[test].sum()
            done = upto
            best_so_far = int(np.argmin(dev_sum[:done]))
            if self.cv_patience is not None and done - 1 - best_so_far >= self.cv_patience:
                break
        self.lambdas_ = lambdas[:done]
        self.cv_deviance_ = dev_sum[:done] / w.sum()
        # glmnet: lambda.min is the largest lambda whose CV deviance equals the minimum
        self.lambda_index_ = int(np.flatnonzero(self.cv_deviance_ <= self.cv_deviance_.min())[0])
        self.lambda_ = float(lambdas[self.lambda_index_])
        self.coef_ = coefs[self.lambda_index_].copy()
        self.intercept_ = float(intercepts[self.lambda_index_])
        self.scale_mean_, self.scale_std_, _ = _standardise(X, w)
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of onset."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self.intercept_ + X @ self.coef_

    def _positive_probability(self, X: Any) -> np.ndarray:
        return _sigmoid(self.decision_function(X))

    def contributions(self, X: Any) -> np.ndarray:
        """Coefficient × standardised value per predictor (log-odds relative to an average country-year)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        std = np.where(self.scale_std_ > 0, self.scale_std_, 1.0)
        return (self.coef_ * std) * ((X - self.scale_mean_) / std)


class MonotoneBoostingRisk(_RiskClassifier):
    """Gradient-boosted trees (LightGBM) with monotone constraints where theory gives the sign.

    ``monotone`` maps feature names (when fitted on a DataFrame) to +1/-1; by default :data:`THEORY_SIGNS`.
    A slow learning rate, at least 40 rows per leaf and row/column subsampling keep the rare-event fit stable.
    Defaults were chosen on EWP's backtest (see :mod:`lemkin.core.risk.models` for the figures).
    """

    def __init__(
        self,
        n_estimators: int = 600,
        learning_rate: float = 0.01,
        num_leaves: int = 15,
        min_child_samples: int = 40,
        subsample: float = 0.8,
        colsample_bytree: float = 0.7,
        reg_lambda: float = 5.0,
        monotone: dict[str, int] | None = None,
        random_state: Any = 0,
        n_jobs: int = 1,
    ) -> None:
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.reg_lambda = reg_lambda
        self.monotone = monotone
        self.random_state = random_state
        self.n_jobs = n_jobs

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # LightGBM routes missing values; forecasts need not be complete cases
        return tags

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Self:
        """Fit the boosted trees."""
        X, y = validate_data(self, X, y, dtype=np.float64, ensure_all_finite="allow-nan")
        yb = self._validate_target(y)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
            if sample_weight.sum() <= 0:
                raise ValueError("sample weights sum to zero")
        signs = THEORY_SIGNS if self.monotone is None else self.monotone
        names: Sequence[str] = list(getattr(self, "feature_names_in_", []))
        constraints = [int(signs.get(name, 0)) for name in names] if names else [0] * X.shape[1]
        seed = self.random_state if isinstance(self.random_state, int) else 0
        self.booster_ = lightgbm.LGBMClassifier(
            n_estimators=self.n_estimators,
            learning_rate=self.learning_rate,
            num_leaves=self.num_leaves,
            min_child_samples=self.min_child_samples,
            subsample=self.subsample,
            subsample_freq=1,
            colsample_bytree=self.colsample_bytree,
            reg_lambda=self.reg_lambda,
            monotone_constraints=constraints,
            monotone_constraints_method="advanced",
            random_state=seed,
            n_jobs=self.n_jobs,
            verbose=-1,
        ).fit(X, yb, sample_weight=sample_weight)
        return self

    def _positive_probability(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False, ensure_all_finite="allow-nan")
        return np.asarray(self.booster_.predict_proba(X))[:, 1]

    def contributions(self, X: Any) -> np.ndarray:
        """SHAP values (LightGBM ``pred_contrib``) in log-odds, one column per predictor."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False, ensure_all_finite="allow-nan")
        return np.asarray(self.booster_.predict(X, pred_contrib=True))[:, :-1]


class BlendedRisk(_RiskClassifier):
    """Weighted average of the onset probabilities of several risk estimators.

    Each member is cloned and fitted on the same data. Contributions are the weighted sum of the members'
    contributions (both are additive in log-odds, so the blend is an approximate, documented attribution).
    """

    def __init__(self, estimators: Sequence[tuple[str, Any]] = (), weights: Sequence[float] | None = None):
        self.estimators = estimators
        self.weights = weights

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Self:
        """Fit every member."""
        if not self.estimators:
            raise ValueError("BlendedRisk needs at least one (name, estimator) pair")
        validate_data(self, X, y, dtype=np.float64, skip_check_array=True)
        self._validate_target(np.asarray(y))
        self.estimators_ = [clone(est).fit(X, y, sample_weight=sample_weight) for _, est in self.estimators]
        weights = np.ones(len(self.estimators_)) if self.weights is None else np.asarray(self.weights, float)
        self.weights_ = weights / weights.sum()
        return self

    def _positive_probability(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        probs = np.column_stack([est.predict_proba(X)[:, 1] for est in self.estimators_])
        return probs @ self.weights_

    def contributions(self, X: Any) -> np.ndarray:
        """Weighted sum of the members' per-predictor contributions."""
        check_is_fitted(self)
        return sum(w * est.contributions(X) for w, est in zip(self.weights_, self.estimators_, strict=True))
