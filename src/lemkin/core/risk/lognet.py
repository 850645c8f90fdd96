"""glmnet's two-class logistic elastic-net path ("lognet"), compiled with numba.

The Early Warning Project fits its model with R's ``glmnet`` (``family = "binomial"``). This module follows
glmnet 4.1's algorithm step for step, so that the same data give the same lambda sequence, the same path and
the same cross-validated choice of lambda:

* predictors standardised with the weighted mean and population standard deviation, weights scaled to sum
  to one; constant columns are left out (their coefficient stays 0);
* for each lambda: the "sequential strong rule" picks the candidate predictors, then an outer IRLS loop (the
  exact Newton weights ``w p (1 - p)``) around a weighted least-squares solve by cyclic coordinate descent:
  full sweeps over the strong set, then sweeps over the active set until they settle; an IRLS step has
  converged when no weighted squared coefficient change exceeds ``thresh`` times the null deviance; then
  every predictor outside the strong set is checked against the KKT conditions and the loop repeats if one
  fails;
* the path starts at an infinite penalty (the null model), the first real lambda is the smallest that zeroes
  every coefficient, the rest fall geometrically to ``lambda_min_ratio`` of it; the path stops early, after
  at least five lambdas, when the explained deviance grows by less than ``fdev`` or exceeds ``devmax``.
  With a user-supplied sequence (as ``cv.glmnet`` gives each fold) every lambda is fitted.

Source: glmnet 4.1 (CRAN package ``glmnet``, ``src/glmnetpp/include/glmnetpp_bits``: ``elnet_path/base.hpp``
and ``binomial_base.hpp`` for the path and its stopping rules, ``elnet_point/internal/binomial_base.hpp``,
``binomial_two_class.hpp`` and ``base.hpp`` for the point solver; defaults from ``glmnet.control()``:
``fdev = 1e-5``, ``devmax = 0.999``, ``eps = 1e-6``, ``big = 9.9e35``, ``mnlam = 5``, ``pmin = 1e-9``;
``glmnet()``: ``thresh = 1e-7``, ``maxit = 1e5``). The R function ``fix.lam`` replaces the infinite first
lambda of a computed path by its geometric extrapolation, as :func:`lognet_path` does.

This is glmnet's published algorithm re-expressed in numba, not a copy of its code; nothing here depends on
R. :mod:`lemkin.core.risk.estimators` builds the cross-validation around it. The first call compiles the
kernel (a few seconds); the compiled code is cached beside this file for later processes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

__all__ = ["LognetError", "LognetFit", "LognetPath", "lognet_path"]

#: glmnet.control() and glmnet() defaults (glmnet 4.1).
FDEV, DEVMAX, EPS, BIG, MNLAM, PMIN = 1e-5, 0.999, 1e-6, 9.9e35, 5, 1e-9
THRESH, MAXIT = 1e-7, 100_000

#: Kernel status codes.
_OK, _MAXIT, _DEGENERATE = 0, 1, 2
#: Floating-point licence for the kernels: reassociation lets the dot products run on SIMD lanes (results
#: agree with glmnet to about 1e-13); no assumptions about NaN or infinity.
_FASTMATH = {"reassoc", "contract", "arcp"}


class LognetError(ValueError):
    """The path could not be fitted (an outcome with a single class, or the iteration limit reached)."""


@dataclass(frozen=True)
class LognetPath:
    """A fitted path: one row per lambda, coefficients on the raw predictor scale.

    ``dev_ratio`` is the fraction of the null deviance explained (glmnet's ``dev.ratio``); ``passes`` counts
    coordinate-descent sweeps (glmnet's ``npasses``).
    """

    lambdas: np.ndarray
    intercepts: np.ndarray
    coefs: np.ndarray
    dev_ratio: np.ndarray
    passes: int

    def linear_predictor(self, x: np.ndarray) -> np.ndarray:
        """Log-odds (n × n_lambdas) of the rows of ``x`` at every lambda of the path."""
        return self.intercepts[None, :] + x @ self.coefs.T


@njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def _wls_sweep(xt, r, v, b, xv, members, n_members, ab, dem, mm, ia, nin):
    """One coordinate-descent sweep over ``members[:n_members]``; returns (largest weighted change, nin).

    Each coordinate's residual update is fused with the next coordinate's gradient (one pass over the
    residuals instead of two); the arithmetic per element is the same as glmnet's.
    """
    n = xt.shape[1]
    dlx = 0.0
    pending = -1  # coordinate whose change has not yet reached the residuals
    change = 0.0
    for idx in range(n_members):
        k = members[idx]
        xk = xt[k]
        gk = 0.0
        if pending >= 0:
            xp = xt[pending]
            for i in range(n):
                r[i] -= change * v[i] * xp[i]
                gk += r[i] * xk[i]
            pending = -1
        else:
            for i in range(n):
                gk += r[i] * xk[i]
        old = b[k]
        u = gk + old * xv[k]
        au = abs(u) - ab
        new = 0.0
        if au > 0.0:
            new = math.copysign(au, u) / (xv[k] + dem)
        if new == old:
            continue
        b[k] = new
        if mm[k] < 0:
            mm[k] = nin
            ia[nin] = k
            nin += 1
        change = new - old
        dlx = max(dlx, xv[k] * change * change)
        pending = k
    if pending >= 0:
        xp = xt[pending]
        for i in range(n):
            r[i] -= change * v[i] * xp[i]
    return dlx, nin


# Solver state between calls, so that a path can be advanced a few lambdas at a time with warm starts:
#   pstate (4, p) float: coefficients b, saved coefficients bs, weighted variances xv, absolute gradients ga
#   pint   (4, p) int:   strong-set flag, position in the active set (-1: never active), active set, scratch
#   nstate (4, n) float: probabilities q, IRLS weights v, weighted residuals r, linear predictor
#   scal   (6,)  float:  intercept, sum of weights, current lambda, deviance of the intercept-only model,
#                        null deviance, convergence threshold (thresh x null deviance)
#   iscal  (4,)  int:    active-set size, passes, lambdas done, stopped (1) or not (0)
_B0, _XMZ, _ALM, _DEV1, _DEV0, _SHR = range(6)
_NIN, _NLP, _LMU, _STOPPED = range(4)


@njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def _lognet_start(xt, y, w, ju, pmin, thr, pstate, nstate, scal):
    """The intercept-only model: probabilities, weights, residuals, deviances and gradients."""
    p, n = xt.shape
    q, v, r = nstate[0], nstate[1], nstate[2]
    ga = pstate[3]
    q0 = 0.0
    for i in range(n):
        q0 += w[i] * y[i]
    if q0 <= pmin or q0 >= 1.0 - pmin:
        return _DEGENERATE
    bz = math.log(q0 / (1.0 - q0))
    xmz = q0 * (1.0 - q0)
    for i in range(n):
        v[i] = xmz * w[i]
        r[i] = w[i] * (y[i] - q0)
        q[i] = q0
    dev1 = -(bz * q0 + math.log(1.0 - q0))
    dev0 = dev1
    for i in range(n):
        if y[i] > 0.0:
            dev0 += w[i] * y[i] * math.log(y[i])
        if y[i] < 1.0:
            dev0 += w[i] * (1.0 - y[i]) * math.log(1.0 - y[i])
    for j in range(p):
        if ju[j]:
            xj = xt[j]
            g = 0.0
            for i in range(n):
                g += r[i] * xj[i]
            ga[j] = abs(g)
    scal[_B0], scal[_XMZ], scal[_ALM] = bz, xmz, 0.0
    scal[_DEV1], scal[_DEV0], scal[_SHR] = dev1, dev0, thr * dev0
    return _OK


@njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def _intercept_step(r, v, xmz, b0, dlx):
    """glmnet's intercept update inside a sweep; returns (intercept, largest weighted change)."""
    rs = 0.0
    for i in range(r.shape[0]):
        rs += r[i]
    d = rs / xmz
    if d != 0.0:
        b0 += d
        dlx = max(dlx, xmz * d * d)
        for i in range(r.shape[0]):
            r[i] -= d * v[i]
    return b0, dlx


@njit(cache=True, nogil=True, fastmath=_FASTMATH, error_model="numpy")
def _lognet_advance(  # one loop, kept whole so that it reads like glmnet's
    xt, y, w, ju, alpha, ulam, user, flmin, nlam, m_stop, maxit, pmin, fdev, devmax, mnlam,
    pstate, pint, nstate, scal, iscal, a0, ca, dev, alm_out,
):  # fmt: skip
    """Fit lambdas ``iscal[_LMU]`` .. ``m_stop - 1`` of the path, or until it stops."""
    p, n = xt.shape
    b, bs, xv, ga = pstate[0], pstate[1], pstate[2], pstate[3]
    strong, mm, ia, members = pint[0], pint[1], pint[2], pint[3]
    q, v, r, eta = nstate[0], nstate[1], nstate[2], nstate[3]
    b0, xmz, alm, dev1, dev0, shr = scal[_B0], scal[_XMZ], scal[_ALM], scal[_DEV1], scal[_DEV0], scal[_SHR]
    nin, nlp, lmu = iscal[_NIN], iscal[_NLP], iscal[_LMU]
    status = _OK
    omb = 1.0 - alpha
    alf = max(EPS, flmin) ** (1.0 / (nlam - 1.0)) if flmin < 1.0 and nlam > 1 else 1.0
    mnl = min(mnlam, nlam)
    fmax = math.log(1.0 / pmin - 1.0)
    vmin = (1.0 + pmin) * pmin * (1.0 - pmin)
    for m in range(lmu, m_stop):
        # the penalty for this point and the sequential strong rule (glmnet: initialize_point)
        alm0 = alm
        if user:
            alm = ulam[m]
        elif m > 1:
            alm *= alf
        elif m == 0:
            alm = BIG
        else:
            alm0 = 0.0
            for j in range(p):
                if ju[j]:
                    alm0 = max(alm0, ga[j])
            alm0 /= max(alpha, 1e-3)
            alm = alm0 * alf
        dem = alm * omb
        ab = alm * alpha
        tlam = alpha * (2.0 * alm - alm0)
        for k in range(p):
            if not strong[k] and ju[k] and ga[k] > tlam:
                strong[k] = 1
        too_small = False
        # IRLS around a weighted least-squares solve (glmnet: irls, setup_wls, wls, update_irls)
        while True:
            if nlp > maxit:
                status = _MAXIT
                break
            bs0 = b0
            for idx in range(nin):
                bs[ia[idx]] = b[ia[idx]]
            n_strong = 0
            for k in range(p):
                if strong[k]:
                    members[n_strong] = k
                    n_strong += 1
                    xk = xt[k]
                    s = 0.0
                    for i in range(n):
                        s += v[i] * xk[i] * xk[i]
                    xv[k] = s
            while True:  # full sweeps over the strong set ...
                nlp += 1
                dlx, nin = _wls_sweep(xt, r, v, b, xv, members, n_strong, ab, dem, mm, ia, nin)
                b0, dlx = _intercept_step(r, v, xmz, b0, dlx)
                if dlx < shr or nlp > maxit:
                    break
                while True:  # ... with sweeps over the active set in between until they settle
                    nlp += 1
                    dlx, nin = _wls_sweep(xt, r, v, b, xv, ia, nin, ab, dem, mm, ia, nin)
                    b0, dlx = _intercept_step(r, v, xmz, b0, dlx)
                    if dlx < shr or nlp > maxit:
                        break
            if nlp > maxit:
                status = _MAXIT
                break
            for i in range(n):
                eta[i] = b0
            for idx in range(nin):
                bk = b[ia[idx]]
                xk = xt[ia[idx]]
                for i in range(n):
                    eta[i] += bk * xk[i]
            xmz = 0.0
            for i in range(n):
                fi = eta[i]
                if fi < -fmax:
                    q[i] = 0.0
                elif fi > fmax:
                    q[i] = 1.0
                else:
                    q[i] = 1.0 / (1.0 + math.exp(-fi))
                v[i] = w[i] * q[i] * (1.0 - q[i])
                xmz += v[i]
            if xmz <= vmin:
                too_small = True
                break
            for i in range(n):
                r[i] = w[i] * (y[i] - q[i])
            converged = xmz * (b0 - bs0) ** 2 <= shr
            if converged:
                for idx in range(nin):
                    k = ia[idx]
                    if xv[k] * (b[k] - bs[k]) ** 2 > shr:
                        converged = False
                        break
            if converged:  # KKT check on the predictors left out by the strong rule
                kkt_ok = True
                for k in range(p):
                    if strong[k] or not ju[k]:
                        continue
                    xk = xt[k]
                    g = 0.0
                    for i in range(n):
                        g += r[i] * xk[i]
                    ga[k] = abs(g)
                    if ga[k] > ab:
                        strong[k] = 1
                        kkt_ok = False
                if kkt_ok:
                    break
        if status != _OK:
            break
        # store the point; stopping rules (glmnet: process_point_fit)
        a0[m] = b0
        for idx in range(nin):
            ca[m, ia[idx]] = b[ia[idx]]
        devi = 0.0
        for i in range(n):
            pi = min(max(pmin, q[i]), 1.0 - pmin)
            devi -= w[i] * (y[i] * math.log(pi) + (1.0 - y[i]) * math.log(1.0 - pi))
        dev[m] = (dev1 - devi) / dev0
        alm_out[m] = alm
        lmu = m + 1
        if too_small:
            iscal[_STOPPED] = 1
            break
        if lmu < mnl or user:
            continue
        previous = dev[m - 1] if m > 0 else 0.0
        if dev[m] - previous < fdev or dev[m] > devmax:
            iscal[_STOPPED] = 1
            break
    scal[_B0], scal[_XMZ], scal[_ALM] = b0, xmz, alm
    iscal[_NIN], iscal[_NLP], iscal[_LMU] = nin, nlp, lmu
    return status


class LognetFit:
    """One logistic elastic-net path, fitted a chunk of lambdas at a time (warm starts carry over).

    Without ``given_lambdas`` the path is glmnet's own: ``n_lambdas`` penalties from the smallest that zeroes
    every coefficient down to ``lambda_min_ratio`` of it, stopped early by glmnet's rules. With
    ``given_lambdas=True`` each :meth:`advance` call supplies the penalties (decreasing), and every one is
    fitted, as for a ``cv.glmnet`` fold.
    """

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        sample_weight: np.ndarray | None = None,
        *,
        alpha: float = 0.5,
        n_lambdas: int = 100,
        lambda_min_ratio: float = 1e-4,
        given_lambdas: bool = False,
        thresh: float = THRESH,
        maxit: int = MAXIT,
    ) -> None:
        x = np.asarray(x, dtype=np.float64)
        self._y = np.ascontiguousarray(y, dtype=np.float64)
        w = np.ones(len(self._y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self._w = np.ascontiguousarray(w / w.sum())
        self.mean = self._w @ x
        std = np.sqrt(self._w @ (x - self.mean) ** 2)
        self.ju = (np.ptp(x, axis=0) > 0) if len(x) else np.zeros(x.shape[1], dtype=bool)  # glmnet's chkvars
        self.scale = np.where(self.ju, std, 1.0)
        self._xt = np.ascontiguousarray(((x - self.mean) / self.scale).T)
        self._ju = self.ju.astype(np.bool_)
        self.alpha, self.n_lambdas, self.given = float(alpha), int(n_lambdas), bool(given_lambdas)
        self._flmin = 1.0 if self.given else float(lambda_min_ratio)
        self._maxit = int(maxit)
        p, n = self._xt.shape
        self._pstate, self._nstate = np.zeros((4, p)), np.zeros((4, n))
        self._pint = np.zeros((4, p), dtype=np.int64)
        self._pint[1] = -1
        self._scal, self._iscal = np.zeros(6), np.zeros(4, dtype=np.int64)
        self._a0, self._ca = np.zeros(self.n_lambdas), np.zeros((self.n_lambdas, p))
        self._dev, self._alm = np.zeros(self.n_lambdas), np.zeros(self.n_lambdas)
        status = _lognet_start(self._xt, self._y, self._w, self._ju, PMIN, float(thresh), self._pstate,
                               self._nstate, self._scal)  # fmt: skip
        if status == _DEGENERATE:
            raise LognetError("the outcome has a single class (or nearly so): there is no path to fit")

    @property
    def done(self) -> int:
        """Lambdas fitted so far."""
        return int(self._iscal[_LMU])

    @property
    def stopped(self) -> bool:
        """The path has ended (glmnet's stopping rules, or the weights collapsed)."""
        return bool(self._iscal[_STOPPED])

    @property
    def passes(self) -> int:
        """Coordinate-descent sweeps so far (glmnet's ``npasses``)."""
        return int(self._iscal[_NLP])

    def advance(self, upto: int, lambdas: np.ndarray | None = None) -> None:
        """Fit up to lambda number ``upto`` (exclusive); ``lambdas`` gives at least that many when given."""
        upto = min(int(upto), self.n_lambdas)
        if self.stopped or upto <= self.done:
            return
        if self.given:
            if lambdas is None or len(lambdas) < upto:
                raise ValueError(f"this path needs its first {upto} lambdas")
            ulam = np.ascontiguousarray(lambdas, dtype=np.float64)
        else:
            ulam = np.zeros(1)
        status = _lognet_advance(
            self._xt, self._y, self._w, self._ju, self.alpha, ulam, self.given, self._flmin, self.n_lambdas, upto,
            self._maxit, PMIN, FDEV, DEVMAX, MNLAM, self._pstate, self._pint, self._nstate, self._scal,
            self._iscal, self._a0, self._ca, self._dev, self._alm,
        )  # fmt: skip
        if status == _MAXIT:
            raise LognetError(f"no convergence within {self._maxit} coordinate-descent passes "
                              f"(at lambda {self.done + 1})")  # fmt: skip

    @property
    def lambdas(self) -> np.ndarray:
        """The penalties fitted so far, the first as R's ``fix.lam`` reports it for a computed path."""
        alm = self._alm[: self.done].copy()
        if not self.given and len(alm) >= 3 and alm[1] > 0 and alm[2] > 0:
            alm[0] = math.exp(2 * math.log(alm[1]) - math.log(alm[2]))
        return alm

    def segment(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Raw-scale intercepts (k,) and coefficients (k, p) for lambdas ``start .. stop - 1``."""
        rows = np.arange(start, min(stop, self.done))
        coefs = np.where(self.ju, self._ca[rows] / self.scale, 0.0)
        return self._a0[rows] - coefs @ self.mean, coefs

    def reach(self, penalty: float) -> None:
        """Advance until the path has fitted a lambda at or below ``penalty``, or has ended."""
        while not self.stopped and self.done < self.n_lambdas:
            if self.done < 3:
                target = 3  # lambda 0 is infinite; the sequence is known from lambda 1 on
            else:
                last, ratio = self._alm[self.done - 1], self._alm[self.done - 1] / self._alm[self.done - 2]
                if last <= penalty:
                    return
                steps = math.log(penalty / last) / math.log(ratio) if 0 < ratio < 1 and penalty > 0 else 1.0
                target = self.done + max(1, math.ceil(steps))
            self.advance(target)

    def at(self, penalties: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Intercepts and coefficients at arbitrary penalties, interpolated as R's ``predict.glmnet`` does.

        ``lambda.interp``: linear in lambda between the two neighbouring fitted lambdas, the first fit above
        the path's largest lambda and the last fit below its smallest. Call :meth:`reach` first so that the
        path covers the smallest penalty asked for.
        """
        s = np.asarray(penalties, dtype=np.float64)
        lam = self.lambdas
        intercepts, coefs = self.segment(0, self.done)
        k = len(lam)
        if k == 1:
            return np.repeat(intercepts, len(s)), np.repeat(coefs, len(s), axis=0)
        span = lam[0] - lam[-1]
        sfrac = (lam[0] - s) / span
        lamn = (lam[0] - lam) / span
        sfrac = np.clip(sfrac, lamn.min(), lamn.max())
        coord = np.interp(sfrac, lamn, np.arange(k, dtype=np.float64))
        left, right = np.floor(coord).astype(int), np.ceil(coord).astype(int)
        gap = lamn[left] - lamn[right]
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = (sfrac - lamn[right]) / gap
        frac[(left == right) | (np.abs(gap) < np.finfo(float).eps)] = 1.0
        icpt = frac * intercepts[left] + (1 - frac) * intercepts[right]
        beta = frac[:, None] * coefs[left] + (1 - frac)[:, None] * coefs[right]
        return icpt, beta

    def path(self) -> LognetPath:
        """Everything fitted so far."""
        intercepts, coefs = self.segment(0, self.done)
        return LognetPath(self.lambdas, intercepts, coefs, self._dev[: self.done].copy(), self.passes)


def lognet_path(
    x: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray | None = None,
    *,
    alpha: float = 0.5,
    n_lambdas: int = 100,
    lambda_min_ratio: float = 1e-4,
    lambdas: np.ndarray | None = None,
    thresh: float = THRESH,
    maxit: int = MAXIT,
) -> LognetPath:
    """The whole path at once: ``glmnet(x, y, family = "binomial", alpha = alpha, lambda = lambdas)``."""
    given = lambdas is not None
    fit = LognetFit(x, y, sample_weight, alpha=alpha, n_lambdas=n_lambdas if lambdas is None else len(lambdas),
                    lambda_min_ratio=lambda_min_ratio, given_lambdas=given, thresh=thresh, maxit=maxit)  # fmt: skip
    fit.advance(fit.n_lambdas, lambdas)
    return fit.path()
