"""Cross-validation folds drawn exactly as R's ``cv.glmnet`` draws them.

The Early Warning Project calls ``set.seed(90035)`` and then ``cv.glmnet(...)``, which draws
``foldid = sample(rep(seq(nfolds), length = N))`` (glmnet 4.x, ``cv.glmnet.R``). To reproduce its
lambda choice we reproduce those folds: R's default generator is the Mersenne Twister seeded by
``set.seed`` (R ``src/main/RNG.c``: 50 rounds of the linear congruential scrambler ``69069 * s + 1``,
then 625 seed words, the first of which is the position 624), and ``sample`` without replacement draws
indices by rejection sampling on 16-bit chunks (``R_unif_index``/``rbits``, R >= 3.6.0).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["r_fold_ids", "r_sample_permutation"]

_MASK32 = 0xFFFFFFFF
_MT_N = 624


class _RMersenneTwister:
    """R's ``unif_rand()`` for the default "Mersenne-Twister" kind, on top of numpy's MT19937 core."""

    def __init__(self, seed: int) -> None:
        s = seed & _MASK32
        for _ in range(50):
            s = (69069 * s + 1) & _MASK32
        words = []
        for _ in range(_MT_N + 1):
            s = (69069 * s + 1) & _MASK32
            words.append(s)
        key = np.array(words[1:], dtype=np.uint32)  # words[0] becomes mti, forced to 624 by FixupSeeds
        self._bitgen = np.random.MT19937()
        self._bitgen.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _MT_N}}

    def unif_rand(self) -> float:
        value = int(self._bitgen.random_raw()) * 2.3283064365386963e-10
        if value <= 0.0:
            return 0.5 * 2.328306437080797e-10
        if 1.0 - value <= 0.0:
            return 1.0 - 0.5 * 2.328306437080797e-10
        return value

    def _rbits(self, bits: int) -> int:
        v = 0
        for _ in range(0, bits + 1, 16):
            v = 65536 * v + math.floor(self.unif_rand() * 65536)
        return v & ((1 << bits) - 1)

    def unif_index(self, n: int) -> int:
        """``R_unif_index(n)`` with ``sample.kind = "Rejection"``: a uniform integer in ``[0, n)``."""
        if n <= 0:
            return 0
        bits = math.ceil(math.log2(n))
        while True:
            dv = self._rbits(bits)
            if dv < n:
                return dv


def r_sample_permutation(n: int, seed: int) -> np.ndarray:
    """The 0-based permutation R's ``set.seed(seed); sample.int(n)`` returns (minus one)."""
    rng = _RMersenneTwister(seed)
    pool = list(range(n))
    out = np.empty(n, dtype=np.int64)
    remaining = n
    for i in range(n):
        j = rng.unif_index(remaining)
        out[i] = pool[j]
        remaining -= 1
        pool[j] = pool[remaining]
    return out


def r_fold_ids(n: int, n_folds: int, seed: int) -> np.ndarray:
    """Fold labels (1..n_folds) of ``set.seed(seed); sample(rep(seq(n_folds), length = n))``."""
    base = np.resize(np.arange(1, n_folds + 1), n)
    return base[r_sample_permutation(n, seed)]
