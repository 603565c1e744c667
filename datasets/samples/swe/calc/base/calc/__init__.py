"""calc: small statistics helpers (a reval sample repository)."""
from calc.stats import mean, median

__all__ = ["mean", "median"]
