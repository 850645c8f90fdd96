"""Risk estimators with the scikit-learn contract.

* :class:`ElasticNetLogit` reproduces the Early Warning Project's model: logistic regression with an elastic-net
  penalty (mixing 0.5), predictors standardised inside the solver, the penalty chosen by 10-fold cross-validation
  at the minimum deviance ("lambda.min"), folds drawn as R's ``set.seed(90035); cv.glmnet(...)`` draws them.
  Source: ``EarlyWarningProject/2025-Statistical-Risk-Assessment`` commit 548cad77, ``3.Modeling/model_3Sep2025.R``
  (function ``elogit.fit``). The solver is glmnet's own algorithm (:mod:`lemkin.core.risk.lognet`), so the path,
  the lambdas and the cross-validated deviance agree with R's ``glmnet`` 4.1 to about 1e-13.
* :class:`MonotoneBoostingRisk` is gradient boosting (LightGBM) with monotone constraints where theory gives the
  direction of an effect (see :data:`THEORY_SIGNS`).
* :class:`BlendedRisk` averages the probabilities of several risk estimators (a simple, robust ensemble).
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import Any, Self

import lightgbm
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

__all__ = [
    "THEORY_SIGNS",
    "BlendedRisk",
    "ElasticNetLogit",
    "MonotoneBoostingRisk",
    "binomial_deviance",
]

from lemkin.core.risk.lognet import MAXIT, THRESH, LognetFit
from lemkin.core.risk.rfolds import r_fold_ids

#: ``cv.glmnet``'s probability clipping in the cross-validated binomial deviance (``prob_min = 1e-5``).
_PROB_CLIP = 1e-5

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


def _standardise(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and population standard deviation, as glmnet's ``standardize = TRUE`` computes them."""
    wn = w / w.sum()
    mean = wn @ x
    return mean, np.sqrt(wn @ (x - mean) ** 2)


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
    thresh, max_passes:
        glmnet's ``thresh`` (convergence of each coordinate-descent solve, relative to the null deviance) and
        ``maxit`` (most coordinate-descent passes over the whole path).
    cv_patience:
        ``None`` (default) cross-validates the whole lambda path, as ``cv.glmnet`` does. An integer walks the
        path in steps of that many lambdas, all folds side by side, and stops once the cross-validated deviance
        has not improved for that many lambdas: the same choice whenever the deviance curve has a single
        minimum (the usual case), for about half the work.

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
    n_passes_:
        Coordinate-descent passes over all paths (the full fit and the folds).
    """

    def __init__(
        self,
        l1_ratio: float = 0.5,
        n_lambdas: int = 100,
        lambda_min_ratio: float = 1e-4,
        n_folds: int = 10,
        random_state: Any = 90035,
        thresh: float = THRESH,
        max_passes: int = MAXIT,
        cv_patience: int | None = None,
    ) -> None:
        self.l1_ratio = l1_ratio
        self.n_lambdas = n_lambdas
        self.lambda_min_ratio = lambda_min_ratio
        self.n_folds = n_folds
        self.random_state = random_state
        self.thresh = thresh
        self.max_passes = max_passes
        self.cv_patience = cv_patience

    def _fold_ids(self, n: int) -> np.ndarray:
        n_folds = min(self.n_folds, n)
        if isinstance(self.random_state, int | np.integer) and not isinstance(self.random_state, bool):
            return r_fold_ids(n, n_folds, int(self.random_state))
        rng = self.random_state if isinstance(self.random_state, np.random.RandomState) else None
        rng = rng or np.random.RandomState()
        return rng.permutation(np.resize(np.arange(1, n_folds + 1), n))

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Self:
        """Fit the penalty path, choose lambda by cross-validated deviance, keep the coefficients there.

        As ``cv.glmnet`` (glmnet 4.1, ``R/cv.glmnet.raw.R``): the full-data path fixes the lambdas (and, where it
        stops early, how many); each fold fits its own path on the other nine folds and is evaluated at the
        full path's lambdas by interpolation (``predict(fit, s = lambda)``); a fold whose training rows hold a
        single class is left out (glmnet refuses to fit it).
        """
        X, y = validate_data(self, X, y, dtype=np.float64, ensure_min_samples=2)
        yb = self._validate_target(y)
        w = _check_sample_weight(sample_weight, X, dtype=np.float64)
        if not 0.0 <= self.l1_ratio <= 1.0:
            raise ValueError(f"l1_ratio must be in [0, 1], got {self.l1_ratio}")

        def path(rows: np.ndarray | slice) -> LognetFit:
            return LognetFit(
                X[rows], yb[rows], w[rows], alpha=self.l1_ratio, n_lambdas=self.n_lambdas,
                lambda_min_ratio=self.lambda_min_ratio, thresh=self.thresh, maxit=self.max_passes,
            )  # fmt: skip

        full = path(slice(None))
        folds = self._fold_ids(len(yb))
        fold_fits = []
        for fold in np.unique(folds):
            test = folds == fold
            if len(np.unique(yb[~test])) == 2:
                fold_fits.append((test, path(~test)))
        n_grid = self.n_lambdas
        dev_sum = np.zeros(n_grid)
        chunk = n_grid if self.cv_patience is None else max(1, int(self.cv_patience))
        done = 0
        while done < n_grid:
            upto = min(max(done + chunk, 3), n_grid)  # R's fix.lam needs the path's first three lambdas
            full.advance(upto)
            if full.stopped:  # cv.glmnet cross-validates the lambdas of the full fit's path only
                n_grid = upto = min(upto, full.done)
            lambdas = full.lambdas
            for test, fit in fold_fits:
                fit.reach(lambdas[upto - 1])
                f_icpt, f_coef = fit.at(lambdas[done:upto])
                prob = _sigmoid(f_icpt + X[test] @ f_coef.T)
                dev_sum[done:upto] += binomial_deviance(yb[test], prob, w[test]) * w[test].sum()
            done = upto
            best_so_far = int(np.argmin(dev_sum[:done]))
            if self.cv_patience is not None and done - 1 - best_so_far >= self.cv_patience:
                break
        self.lambdas_ = full.lambdas[:done]
        self.cv_deviance_ = dev_sum[:done] / w.sum()
        # glmnet: lambda.min is the largest lambda whose CV deviance equals the minimum
        self.lambda_index_ = int(np.flatnonzero(self.cv_deviance_ <= self.cv_deviance_.min())[0])
        self.lambda_ = float(self.lambdas_[self.lambda_index_])
        intercepts, coefs = full.segment(self.lambda_index_, self.lambda_index_ + 1)
        self.coef_ = coefs[0]
        self.intercept_ = float(intercepts[0])
        self.scale_mean_, self.scale_std_ = _standardise(X, w)
        self.n_passes_ = full.passes + sum(fit.passes for _, fit in fold_fits)
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
